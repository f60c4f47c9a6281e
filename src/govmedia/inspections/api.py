"""巡检与检查整改 over JSON under /api/v1."""

from ninja import Router

router = Router(tags=["巡检与检查整改"])

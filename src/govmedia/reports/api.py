"""监测看板与报表 over JSON under /api/v1."""

from ninja import Router

router = Router(tags=["监测看板与报表"])

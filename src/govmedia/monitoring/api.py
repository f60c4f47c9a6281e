"""常态化监管 over JSON under /api/v1."""

from ninja import Router

router = Router(tags=["常态化监管"])

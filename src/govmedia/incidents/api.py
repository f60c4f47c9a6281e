"""突发事件与应急 over JSON under /api/v1."""

from ninja import Router

router = Router(tags=["突发事件与应急"])

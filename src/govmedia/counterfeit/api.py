"""假冒账号处置 over JSON under /api/v1."""

from ninja import Router

router = Router(tags=["假冒账号处置"])

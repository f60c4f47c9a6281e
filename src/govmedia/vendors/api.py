"""外包服务管理 over JSON under /api/v1."""

from ninja import Router

router = Router(tags=["外包服务管理"])

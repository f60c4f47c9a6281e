"""账号安全与人员 over JSON under /api/v1."""

from ninja import Router

router = Router(tags=["账号安全与人员"])

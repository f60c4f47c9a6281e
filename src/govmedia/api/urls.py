"""The JSON API under /api/v1: bearer tokens, the same permission rules as the pages."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.security import HttpBearer

from govmedia.api import errors, org, public, publishing, registry
from govmedia.org.actions import person_for_token


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        person = person_for_token(token)
        if person is not None:
            request.user = person
        return person


api = NinjaAPI(title="政务新媒体管理平台 API", version="1", auth=BearerToken(), urls_namespace="api")
errors.register(api)
api.add_router("/", org.router)
api.add_router("/", registry.router)
api.add_router("/public", public.router)
publishing.register(api)

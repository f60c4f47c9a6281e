"""The JSON API under /api/v1: bearer tokens, the same permission rules as the pages."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.security import HttpBearer

from govmedia.api import errors, org, public, publishing, registry
from govmedia.counterfeit.api import router as counterfeit_router
from govmedia.incidents.api import router as incidents_router
from govmedia.inspections.api import router as inspections_router
from govmedia.monitoring.api import router as monitoring_router
from govmedia.org.actions import person_for_token
from govmedia.reports.api import router as reports_router
from govmedia.security.api import router as security_router
from govmedia.vendors.api import router as vendors_router


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
api.add_router("/", monitoring_router)
api.add_router("/", inspections_router)
api.add_router("/", reports_router)
api.add_router("/", security_router)
api.add_router("/", vendors_router)
api.add_router("/", counterfeit_router)
api.add_router("/", incidents_router)

from django.urls import include, path

from govmedia.api.urls import api

urlpatterns = [
    path("", include("govmedia.web.urls")),
    path("", include("govmedia.registry.urls")),
    path("", include("govmedia.publishing.urls")),
    path("", include("govmedia.monitoring.urls")),
    path("", include("govmedia.inspections.urls")),
    path("", include("govmedia.reports.urls")),
    path("", include("govmedia.security.urls")),
    path("", include("govmedia.vendors.urls")),
    path("", include("govmedia.counterfeit.urls")),
    path("", include("govmedia.incidents.urls")),
    path("calendar/", include("govmedia.workcal.urls")),
    path("audit/", include("govmedia.audit.urls")),
    path("check/", include("govmedia.checks.urls")),
    path("api/v1/", api.urls),
]

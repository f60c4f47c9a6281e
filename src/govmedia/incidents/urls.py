from django.urls import path

from govmedia.incidents import views

urlpatterns = [
    path("incidents/", views.incident_list, name="incident_list"),
    path("incidents/export.xlsx", views.incident_export, name="incident_export"),
    path("incidents/new/", views.incident_new, name="incident_new"),
    path("incidents/<int:pk>/", views.incident_detail, name="incident_detail"),
    path("incidents/<int:pk>/actions/", views.incident_action, name="incident_action"),
    path("incidents/<int:pk>/close/", views.incident_close, name="incident_close"),
    path("retractions/", views.retraction_list, name="retraction_list"),
    path("retractions/export.xlsx", views.retraction_export, name="retraction_export"),
    path("retractions/new/", views.retraction_new, name="retraction_new"),
    path("emergency-plans/", views.plan_list, name="plan_list"),
    path("emergency-plans/new/", views.plan_new, name="plan_new"),
    path("emergency-plans/<int:pk>/document/", views.plan_document, name="plan_document"),
    path("drills/", views.drill_list, name="drill_list"),
    path("drills/new/", views.drill_new, name="drill_new"),
]

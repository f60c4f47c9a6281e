"""巡检与检查整改."""
from django.urls import path

from govmedia.inspections import inspection_views, views

urlpatterns: list = [
    path("rectifications/", views.rectification_list, name="rectification_list"),
    path("rectifications/export.xlsx", views.rectification_export, name="rectification_export"),
    path("rectifications/<int:pk>/", views.rectification_detail, name="rectification_detail"),
    path("rectifications/<int:pk>/answer/", views.rectification_answer, name="rectification_answer"),
    path("rectifications/<int:pk>/accept/", views.rectification_accept, name="rectification_accept"),
    path("rectifications/<int:pk>/reopen/", views.rectification_reopen, name="rectification_reopen"),
    path("rectifications/<int:pk>/evidence/<int:event_pk>/", views.rectification_evidence,
         name="rectification_evidence"),
    path("inspections/", inspection_views.inspection_list, name="inspection_list"),
    path("inspections/new/", inspection_views.inspection_new, name="inspection_new"),
    path("inspections/<int:pk>/", inspection_views.inspection_detail, name="inspection_detail"),
    path("inspections/<int:pk>/accounts/<int:account_pk>/", inspection_views.inspection_checklist,
         name="inspection_checklist"),
    path("inspections/<int:pk>/close/", inspection_views.inspection_close, name="inspection_close"),
    path("inspections/<int:pk>/circular.docx", inspection_views.inspection_circular, name="inspection_circular"),
]

from django.urls import path

from govmedia.reports import views

urlpatterns = [
    path("dashboard/", views.update_dashboard, name="update_dashboard"),
    path("dashboard/export.xlsx", views.update_dashboard_export, name="update_dashboard_export"),
    path("dashboard/accounts/<int:pk>/", views.update_account, name="update_account"),
    path("reports/", views.report_index, name="report_index"),
    path("reports/report.docx", views.report_download, {"fmt": "docx"}, name="report_docx"),
    path("reports/report.xlsx", views.report_download, {"fmt": "xlsx"}, name="report_xlsx"),
    path("reports/compliance/", views.compliance, name="compliance"),
    path("reports/compliance.xlsx", views.compliance_export, name="compliance_export"),
]

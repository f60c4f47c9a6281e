"""假冒账号处置: the public report page and the office's cases."""
from django.urls import path

from govmedia.counterfeit import views

urlpatterns = [
    path("public/counterfeit/", views.public_report, name="counterfeit_report"),
    path("counterfeit/", views.case_list, name="counterfeit_list"),
    path("counterfeit/export.xlsx", views.case_export, name="counterfeit_export"),
    path("counterfeit/<int:pk>/", views.case_detail, name="counterfeit_detail"),
    path("counterfeit/<int:pk>/verify/", views.case_verify, name="counterfeit_verify"),
    path("counterfeit/<int:pk>/coordinations/", views.case_coordinate, name="counterfeit_coordinate"),
    path("counterfeit/<int:pk>/letter/", views.case_letter, name="counterfeit_letter"),
    path("counterfeit/<int:pk>/letter.docx", views.case_letter_download, name="counterfeit_letter_download"),
    path("counterfeit/<int:pk>/report-up/", views.case_report_up, name="counterfeit_report_up"),
    path("counterfeit/<int:pk>/close/", views.case_close, name="counterfeit_close"),
    path("counterfeit/<int:pk>/screenshot/", views.case_screenshot, name="counterfeit_screenshot"),
]

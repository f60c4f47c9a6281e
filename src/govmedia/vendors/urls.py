"""外包服务管理."""
from django.urls import path

from govmedia.vendors import views

urlpatterns = [
    path("vendors/", views.vendor_list, name="vendor_list"),
    path("vendors/export.xlsx", views.vendor_export, name="vendor_export"),
    path("vendors/new/", views.vendor_new, name="vendor_new"),
    path("vendors/<int:pk>/", views.vendor_detail, name="vendor_detail"),
    path("vendors/<int:pk>/edit/", views.vendor_edit, name="vendor_edit"),
    path("vendors/<int:pk>/contracts/new/", views.contract_new, name="vendor_contract_new"),
    path("vendors/<int:pk>/agreements/new/", views.agreement_new, name="vendor_agreement_new"),
    path("vendors/<int:pk>/staff/new/", views.staff_new, name="vendor_staff_new"),
    path("vendors/<int:pk>/assignments/new/", views.assignment_new, name="vendor_assignment_new"),
    path("vendors/<int:pk>/supervisions/new/", views.supervision_new, name="vendor_supervision_new"),
    path("vendors/assignments/<int:pk>/end/", views.assignment_end, name="vendor_assignment_end"),
    path("vendors/contracts/<int:pk>/file/", views.contract_file, name="vendor_contract_file"),
    path("vendors/agreements/<int:pk>/file/", views.agreement_file, name="vendor_agreement_file"),
]

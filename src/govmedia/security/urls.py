from django.urls import path

from govmedia.security import views

urlpatterns = [
    path("security/accounts/", views.account_list, name="security_accounts"),
    path("security/accounts/export.xlsx", views.account_export, name="security_accounts_export"),
    path("security/accounts/<int:pk>/", views.account_detail, name="security_account"),
    path("security/accounts/<int:pk>/custodian/", views.custodian_set, name="security_custodian_set"),
    path("security/accounts/<int:pk>/devices/", views.device_add, name="security_device_add"),
    path("security/accounts/<int:pk>/rotations/", views.rotation_new, name="security_rotation_new"),
    path("security/devices/<int:pk>/remove/", views.device_remove, name="security_device_remove"),
    path("security/people/", views.people, name="security_people"),
    path("security/people/<str:username>/", views.person_detail, name="security_person"),
    path("security/people/<str:username>/departure/", views.departure, name="security_departure"),
    path("security/handovers/", views.handover_list, name="security_handovers"),
    path("security/handovers/<int:pk>/", views.handover_detail, name="security_handover"),
]

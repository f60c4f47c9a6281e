from django.urls import path

from govmedia.registry import views

urlpatterns = [
    path("accounts/", views.account_list, name="account_list"),
    path("accounts/export.xlsx", views.account_export, name="account_export"),
    path("accounts/import/", views.ledger_import, name="ledger_import"),
    path("accounts/import/template.xlsx", views.ledger_template, name="ledger_template"),
    path("accounts/new/", views.account_new, name="account_new"),
    path("accounts/<int:pk>/", views.account_detail, name="account_detail"),
    path("accounts/<int:pk>/events/<str:kind>/", views.event_new, name="event_new"),
    path("filings/", views.filing_list, name="filing_list"),
    path("filings/<int:pk>/", views.filing_complete, name="filing_complete"),
    path("consolidation/", views.consolidation, name="consolidation"),
    path("platforms/", views.platform_list, name="platform_list"),
    path("platforms/<int:pk>/toggle/", views.platform_toggle, name="platform_toggle"),
    path("public/accounts/", views.public_accounts, name="public_accounts"),
]

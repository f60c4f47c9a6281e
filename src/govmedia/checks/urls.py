from django.urls import path

from govmedia.checks import views

urlpatterns = [
    path("", views.check_view, name="check"),
    path("mask/", views.mask_view, name="mask"),
]

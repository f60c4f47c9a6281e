from django.urls import path

from govmedia.audit import views

urlpatterns = [path("", views.audit_list, name="audit_list")]

from django.urls import path

from govmedia.workcal import views

urlpatterns = [path("", views.calendar_view, name="calendar")]

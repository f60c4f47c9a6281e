from django.urls import path

from govmedia.web import secadmin, views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.SignInView.as_view(), name="login"),
    path("login/verify/", views.otp_verify, name="otp_verify"),
    path("login/setup/", views.otp_setup, name="otp_setup"),
    path("logout/", views.sign_out, name="logout"),
    path("password/", views.change_password_view, name="password_change"),
    # The 安全管理员's pages (the 审计员 reads them).
    path("secadmin/lockouts/", secadmin.lockouts, name="secadmin_lockouts"),
    path("secadmin/lockouts/unlock/", secadmin.unlock, name="secadmin_unlock"),
    path("secadmin/sessions/", secadmin.session_list, name="secadmin_sessions"),
    path("secadmin/sessions/<str:username>/end/", secadmin.end_session, name="secadmin_end_session"),
    path("secadmin/failures/", secadmin.failures, name="secadmin_failures"),
    path("secadmin/devices/", secadmin.devices, name="secadmin_devices"),
    path("secadmin/devices/<str:username>/reset/", secadmin.reset_device, name="secadmin_reset_device"),
]

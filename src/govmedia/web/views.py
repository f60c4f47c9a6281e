from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView, redirect_to_login
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from govmedia import policy
from govmedia.org.actions import change_password
from govmedia.publishing import queries as publishing
from govmedia.registry import queries
from govmedia.web import actions, signin
from govmedia.web.forms import PasswordChangeForm, SecondFactorForm, SignInForm


class SignInView(LoginView):
    """The password step. Who needs a second factor (policy.SECOND_FACTOR_ROLES) is not signed in here but sent
    on to the code; everyone else is signed in at once."""

    template_name = "registration/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def dispatch(self, request, *args, **kwargs):
        person = signin.awaiting(request)
        if person is not None:
            return redirect(signin.step_url(person))
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        person = form.get_user()
        if signin.requires_second_factor(person):
            signin.begin(self.request, person, self.get_success_url())
            return redirect(signin.step_url(person))
        response = super().form_valid(form)
        signin.remember_client(self.request)
        return response


def _step_subject(request):
    """The person at the second step, or the redirect for someone who is not there."""
    person = signin.awaiting(request)
    if person is not None:
        return person, None
    if request.user.is_authenticated:
        return None, redirect("home")
    return None, redirect_to_login(request.get_full_path())


def _refused(request, person, *, step: str):
    """A wrong code: audited, counted toward the lockout; a lockout also ends the attempt."""
    where = signin.where(request)
    if step == "verify":
        actions.record_second_factor_failure(person, where=where)
    if signin.count_failure(request, person):
        signin.abandon(request)


def otp_verify(request):
    """The second step for a person with a bound authenticator."""
    person, away = _step_subject(request)
    if away:
        return away
    device = signin.confirmed_device(person)
    if device is None:
        return redirect("otp_setup")
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if signin.is_locked(request, person):
            signin.abandon(request)
            return signin.lockout_response(request, person)
        if signin.throttled(device):
            form.add_error("token", "尝试过于频繁，请稍候几秒再输入")
        elif signin.check_code(device, form.cleaned_data["token"]):
            target = signin.next_url(request)
            signin.complete(request, person, device)
            return redirect(target if url_has_allowed_host_and_scheme(target, {request.get_host()}) else "home")
        else:
            _refused(request, person, step="verify")
            form.add_error("token", f"动态口令不正确。密码与动态口令连续错误{policy.LOGIN_FAILURE_LIMIT}次将锁定账号。")
    return render(request, "registration/otp_verify.html", {"form": form, "person": person})


def otp_setup(request):
    """The second step for a person without an authenticator: bind one, then go on as after the code."""
    person, away = _step_subject(request)
    if away:
        return away
    if signin.confirmed_device(person) is not None:
        return redirect("otp_verify")  # a bound authenticator is replaced only after the 安全管理员 resets it
    device = signin.setup_device(person)
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if signin.is_locked(request, person):
            signin.abandon(request)
            return signin.lockout_response(request, person)
        if signin.throttled(device):
            form.add_error("token", "尝试过于频繁，请稍候几秒再输入")
        elif actions.confirm_second_factor(device, form.cleaned_data["token"], where=signin.where(request)):
            target = signin.next_url(request)
            signin.complete(request, person, device)
            messages.success(request, "身份验证器已绑定。今后登录时请输入其显示的动态口令。")
            return redirect(target if url_has_allowed_host_and_scheme(target, {request.get_host()}) else "home")
        else:
            _refused(request, person, step="setup")
            form.add_error("token", "动态口令不正确：请核对手机时间是否准确，并输入身份验证器当前显示的6位数字。")
    return render(request, "registration/otp_setup.html", {
        "form": form, "person": person, "qr": mark_safe(signin.qr_svg(device)),  # noqa: S308 — our own SVG
        "secret": signin.secret_text(device), "issuer": settings.OTP_TOTP_ISSUER,
    })


@require_POST
def sign_out(request):
    logout(request)
    messages.info(request, "您已安全退出。")
    return redirect("login")


@login_required
def change_password_view(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        change_password(request.user, form.cleaned_data["new_password"], actor=request.user)
        update_session_auth_hash(request, request.user)
        messages.success(request, "密码已修改。")
        return redirect("home")
    return render(request, "registration/password_change.html",
                  {"form": form, "expired": request.GET.get("expired") == "1"})


# Apps that add a panel to the home page: each has home.context(user, now) and templates/<app>/_home.html.
HOME_APPS = ("monitoring", "inspections", "reports", "security", "vendors", "counterfeit", "incidents")


@login_required
def home(request):
    now = timezone.now()
    context = queries.dashboard(request.user) | publishing.todo(request.user, now)
    for app in HOME_APPS:
        context |= import_module(f"govmedia.{app}.home").context(request.user, now)
    context["home_panels"] = [f"{app}/_home.html" for app in HOME_APPS]
    return render(request, "home.html", context)

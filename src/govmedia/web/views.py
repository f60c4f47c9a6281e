from __future__ import annotations

from importlib import import_module

from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from govmedia.org.actions import change_password
from govmedia.publishing import queries as publishing
from govmedia.registry import queries
from govmedia.web.forms import PasswordChangeForm, SignInForm


class SignInView(LoginView):
    template_name = "registration/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


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

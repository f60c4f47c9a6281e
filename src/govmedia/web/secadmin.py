"""The security administrator's pages (安全管理员): lockouts, signed-in sessions, failed sign-ins, OTP devices.

The 安全管理员 acts (unlock, end a session, reset an authenticator); the 审计员 reads; nobody else sees them.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Max, Min, Q, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_POST

from govmedia import policy
from govmedia.audit.events import EventType
from govmedia.audit.models import AuditEvent
from govmedia.org.models import Person, RoleGrant
from govmedia.web import access, actions, sessions

PAGE_SIZE = 50
FAILURE_TYPES = {"password": EventType.SIGN_IN_FAILED, "otp": EventType.OTP_FAILED}


def _viewer(request) -> bool:
    """Refuse whoever may not read these pages; return whether the reader may also act."""
    if not access.can_view_sign_in_security(request.user):
        raise PermissionDenied
    return access.can_manage_sign_in_security(request.user)


def _manager(request) -> None:
    if not access.can_manage_sign_in_security(request.user):
        raise PermissionDenied


def _page(request, rows):
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


def _sorted(qs, request, sorts: dict, default: str):
    sort = request.GET.get("sort", default)
    key = sorts.get(sort.lstrip("-"))
    if key is None:
        sort, key = default, sorts[default.lstrip("-")]
    return qs.order_by(("-" if sort.startswith("-") else "") + key), sort


@login_required
def lockouts(request):
    """User names with failed attempts in the current period (axes), locked ones first by default."""
    can_act = _viewer(request)
    cooloff = timedelta(minutes=policy.LOGIN_LOCKOUT_MINUTES)
    since = timezone.now() - cooloff
    qs = (AccessAttempt.objects.filter(attempt_time__gte=since).values("username")
          .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"), first=Min("attempt_time"),
                    addresses=Count("ip_address", distinct=True)))
    if q := request.GET.get("q", "").strip():
        qs = qs.filter(username__icontains=q)
    state = request.GET.get("state", "")
    if state == "locked":
        qs = qs.filter(failures__gte=policy.LOGIN_FAILURE_LIMIT)
    qs, sort = _sorted(qs, request, {"failures": "failures", "last": "last", "username": "username"}, "-failures")
    page, query = _page(request, qs)
    people = Person.objects.in_bulk([r["username"] for r in page], field_name="username")
    rows = [{**r, "person": people.get(r["username"]), "locked": r["failures"] >= policy.LOGIN_FAILURE_LIMIT,
             "until": r["last"] + cooloff} for r in page]
    return render(request, "secadmin/lockouts.html", {
        "tab": "lockouts", "page": page, "rows": rows, "query": query, "sort": sort, "q": q, "state": state,
        "can_act": can_act,
    })


@login_required
@require_POST
def unlock(request):
    _manager(request)
    username = request.POST.get("username", "")
    if actions.clear_lockout(username, actor=request.user):
        messages.success(request, f"已解除「{username}」的登录锁定。")
    else:
        messages.info(request, f"「{username}」没有需要解除的登录失败记录。")
    return redirect("secadmin_lockouts")


@login_required
def session_list(request):
    can_act = _viewer(request)
    rows = sessions.active_sessions()
    if q := request.GET.get("q", "").strip():
        rows = [r for r in rows if q in r.person.username or q in r.person.full_name]
    sort = request.GET.get("sort", "-last")
    keys = {"last": lambda r: r.last_activity, "person": lambda r: r.person.username,
            "since": lambda r: r.signed_in_at or r.last_activity}
    if sort.lstrip("-") not in keys:
        sort = "-last"
    rows.sort(key=keys[sort.lstrip("-")], reverse=sort.startswith("-"))
    page, query = _page(request, rows)
    return render(request, "secadmin/sessions.html", {
        "tab": "sessions", "page": page, "query": query, "sort": sort, "q": q, "can_act": can_act,
        "idle_minutes": settings.SESSION_COOKIE_AGE // 60,
    })


@login_required
@require_POST
def end_session(request, username: str):
    """End one session of the person (``ref``, a digest of its key) or, without ``ref``, all of them."""
    _manager(request)
    person = get_object_or_404(Person, username=username)
    ref = request.POST.get("ref") or None
    ended = actions.end_sessions(person, actor=request.user, ref=ref, reason="安全管理员终止")
    if ended:
        messages.success(request, f"已终止{person}的{ended}个登录会话。")
    else:
        messages.info(request, f"{person}没有可终止的登录会话（可能已退出或过期）。")
    return redirect("secadmin_sessions")


@login_required
def failures(request):
    """Wrong passwords and wrong codes, from the audit log."""
    _viewer(request)
    kind = request.GET.get("type", "")
    types = [FAILURE_TYPES[kind]] if kind in FAILURE_TYPES else list(FAILURE_TYPES.values())
    qs = AuditEvent.objects.filter(event_type__in=types)
    if q := request.GET.get("q", "").strip():
        qs = qs.filter(Q(actor_name__icontains=q) | Q(object_repr__icontains=q))
    tz = timezone.get_current_timezone()
    if start := parse_date(request.GET.get("from", "") or ""):
        qs = qs.filter(at__gte=datetime.combine(start, time.min, tzinfo=tz))
    if end := parse_date(request.GET.get("to", "") or ""):
        qs = qs.filter(at__lte=datetime.combine(end, time.max, tzinfo=tz))
    qs, sort = _sorted(qs, request, {"at": "seq", "who": "actor_name"}, "-at")
    page, query = _page(request, qs)
    return render(request, "secadmin/failures.html", {
        "tab": "failures", "page": page, "query": query, "sort": sort, "q": q, "type": kind,
        "from": request.GET.get("from", ""), "to": request.GET.get("to", ""),
    })


@login_required
def devices(request):
    """Everyone who must use a second factor or has an authenticator: bound since when, last used, or not yet."""
    can_act = _viewer(request)
    needing = RoleGrant.objects.filter(role__in=policy.SECOND_FACTOR_ROLES).values("person")
    qs = (Person.objects.filter(Q(pk__in=needing) | Q(totpdevice__isnull=False)).distinct()
          .select_related("unit").prefetch_related("role_grants")
          .annotate(bound_at=Max("totpdevice__created_at", filter=Q(totpdevice__confirmed=True)),
                    used_at=Max("totpdevice__last_used_at", filter=Q(totpdevice__confirmed=True))))
    if q := request.GET.get("q", "").strip():
        qs = qs.filter(Q(username__icontains=q) | Q(full_name__icontains=q))
    state = request.GET.get("state", "")
    if state == "bound":
        qs = qs.filter(bound_at__isnull=False)
    elif state == "unbound":
        qs = qs.filter(bound_at__isnull=True)
    qs, sort = _sorted(qs, request, {"person": "username", "bound": "bound_at", "used": "used_at"}, "person")
    page, query = _page(request, qs)
    return render(request, "secadmin/devices.html", {
        "tab": "devices", "page": page, "query": query, "sort": sort, "q": q, "state": state, "can_act": can_act,
    })


@login_required
@require_POST
def reset_device(request, username: str):
    _manager(request)
    person = get_object_or_404(Person, username=username)
    if actions.reset_second_factor(person, actor=request.user):
        messages.success(request, f"已重置{person}的动态口令并终止其登录会话；其下次登录时须重新绑定身份验证器。")
    else:
        messages.info(request, f"{person}尚未绑定身份验证器，无需重置。")
    return redirect("secadmin_devices")


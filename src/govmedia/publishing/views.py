"""Review pages (第八条): thin — fetch with permission, one action, redirect.

Which buttons a person sees and what a POST may do both come from ``workflow.allowed_actions``; the POST handlers
call the actions, which check again and refuse with a Chinese reason (shown on the page, with 403/409 status).
"""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from govmedia.org import access
from govmedia.org.models import Role
from govmedia.publishing import actions, content, directives, display, notify, queries, register, workflow
from govmedia.publishing.actions import PublishingError
from govmedia.publishing.forms import DecisionForm, DirectiveForm, DraftForm, PublicationForm
from govmedia.publishing.models import (
    Attachment,
    Decision,
    Draft,
    Importance,
    Notification,
    Publication,
    ReprintDirective,
    Stage,
    Status,
)
from govmedia.registry.models import Account
from govmedia.vendors import access as vendor_access

PAGE_SIZE = 30
SORTS = {"updated": "updated_at", "created": "created_at", "title": "title", "status": "status_code"}
TABS = {"waiting": "待我审核", "mine": "我的稿件", "returned": "退回给我", "all": "全部可见"}
REVIEW_ROLES = (Role.CLERK, Role.SECTION_CHIEF, Role.SIGNER, Role.DIRECTOR)
STATUS_CODES = {"forbidden": 403, "conflict": 409, "invalid": 200}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _get_draft_for_user(user, pk: int) -> Draft:
    draft = get_object_or_404(Draft.objects.select_related("unit", "section", "author", "directive"), pk=pk)
    if not workflow.can_view(draft, user):
        raise Http404
    return draft


def _accounts_with_platform():
    return Account.objects.select_related("platform", "unit").order_by("unit__sort_order", "platform__sort_order", "id")


def _draftable_accounts(user):
    """The accounts a draft may go to: the writer's own unit's live accounts (actions refuse any other)."""
    if not user.unit_id or user.has_role(Role.AUDITOR):
        return Account.objects.none()
    accounts = _accounts_with_platform().filter(unit_id=user.unit_id).not_cancelled()
    operable = vendor_access.accounts_operable_by(user)  # 第二条: vendor staff see only their assigned accounts
    return accounts if operable is None else accounts.filter(pk__in=operable)


def _directives_for_unit(unit_id):
    return ReprintDirective.objects.filter(accounts__unit_id=unit_id).distinct().order_by("-received_at")


def _unpublished_accounts(draft: Draft):
    """The draft's accounts with no successful publication yet: the ones a publication may still be recorded for."""
    published = Publication.objects.filter(draft=draft, published_at__isnull=False).values("account_id")
    return draft.accounts.select_related("platform").exclude(pk__in=published)


def _apply_error(form, error: PublishingError) -> None:
    field = {"file": "attachments"}.get(error.field, error.field)
    form.add_error(field if field in form.fields else None, error.message)


# --- Lists ----------------------------------------------------------------------------------------------


def _tab_queryset(user, tab: str):
    if tab == "waiting":
        return queries.waiting_for(user)
    if tab == "mine":
        return queries.my_drafts(user)
    if tab == "returned":
        return queries.my_returned(user)
    return queries.with_state(queries.visible_drafts(user))


@login_required
def draft_list(request):
    user = request.user
    reviewer = user.has_role(*REVIEW_ROLES) and not user.has_role(Role.VENDOR)
    tab = request.GET.get("tab") or ("waiting" if reviewer else "mine")
    if tab not in TABS:
        tab = "all"
    qs = _tab_queryset(user, tab)
    active = {}
    if (status := request.GET.get("status", "")) in Status.values:
        qs, active["status"] = qs.filter(status_code=status), status
    if (importance := request.GET.get("importance", "")) in Importance.values:
        qs, active["importance"] = qs.filter(importance=importance), importance
    if (account := request.GET.get("account", "")).isdigit():
        qs, active["account"] = qs.filter(accounts=int(account)), int(account)
    if q := request.GET.get("q", "").strip():
        qs, active["q"] = qs.filter(title__icontains=q), q
    sort = request.GET.get("sort", "-updated")
    key = SORTS.get(sort.lstrip("-"), "updated_at")
    qs = qs.order_by(("-" if sort.startswith("-") else "") + key, "-id")
    qs = qs.select_related("unit", "section", "author").prefetch_related(
        Prefetch("accounts", queryset=Account.objects.select_related("platform")))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    base = query.copy()
    base.pop("tab", None)
    return render(request, "publishing/draft_list.html", {
        "page": page, "rows": [(d, *queries.listed_state(d)) for d in page], "tab": tab, "tabs": TABS,
        "counts": {"waiting": queries.waiting_for(user).count(), "returned": queries.my_returned(user).count()},
        "active": active, "sort": sort, "query": query.urlencode(), "base_query": base.urlencode(),
        "statuses": Status.choices, "importances": Importance.choices,
        "accounts": _accounts_with_platform().filter(unit__in=access.visible_units(user)),
        "can_draft": _draftable_accounts(user).exists(),
    })


# --- Writing ---------------------------------------------------------------------------------------------


def _save_attachments(draft: Draft, form: DraftForm, actor) -> None:
    for upload in form.cleaned_data.get("attachments") or []:
        actions.add_attachment(draft, upload, actor=actor)


@login_required
def draft_new(request):
    user = request.user
    accounts = _draftable_accounts(user)
    if not accounts.exists():
        raise PermissionDenied
    initial = {"accounts": list(accounts.values_list("pk", flat=True)[:1])}
    directive = None
    if (pk := request.GET.get("directive", "")).isdigit():
        directive = queries.directives_for(user).filter(pk=int(pk)).first()
    if directive is not None:  # 撰写转载稿件 from a directive: the reprint's source and accounts filled in
        initial = {"kind": "reprint", "directive": directive.pk, "title": directive.title,
                   "original_title": directive.title, "source_name": directive.source, "source_url": directive.url,
                   "accounts": [a.pk for a in directive.accounts.all() if a.unit_id == user.unit_id]}
    form = DraftForm(accounts, _directives_for_unit(user.unit_id), request.POST or None, request.FILES or None,
                     initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():  # a refused attachment or submission leaves nothing behind
                draft = actions.create_draft(accounts=list(form.cleaned_data["accounts"]), actor=user,
                                             directive=form.cleaned_data["directive"], **form.action_fields())
                _save_attachments(draft, form, user)
                if "submit" in request.POST:
                    actions.submit_draft(draft, actor=user)
        except PublishingError as error:
            _apply_error(form, error)
        else:
            messages.success(request, "稿件已送审，等待初审。" if "submit" in request.POST else "稿件已保存。")
            return redirect("draft_detail", pk=draft.pk)
    return render(request, "publishing/draft_form.html", {"form": form, "draft": None})


@login_required
def draft_edit(request, pk: int):
    user = request.user
    draft = _get_draft_for_user(user, pk)
    before = workflow.state_of(draft)
    refusal = workflow.allowed_actions(draft, user, before)[workflow.EDIT]
    if refusal is not None:
        if refusal.code == "conflict":
            messages.error(request, refusal)
            return redirect("draft_detail", pk=draft.pk)
        raise PermissionDenied(refusal)
    accounts = _accounts_with_platform().filter(unit_id=draft.unit_id).not_cancelled()
    initial = {field: getattr(draft, field) for field in actions.FIELDS} | {
        "accounts": list(draft.accounts.values_list("pk", flat=True)), "directive": draft.directive_id}
    form = DraftForm(accounts, _directives_for_unit(draft.unit_id), request.POST or None, request.FILES or None,
                     initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                actions.update_draft(draft, accounts=list(form.cleaned_data["accounts"]), actor=user,
                                     directive=form.cleaned_data["directive"], **form.action_fields())
                _save_attachments(draft, form, user)
                draft.refresh_from_db()
                after = workflow.state_of(draft)
                if "submit" in request.POST and after.status in (Status.DRAFT, Status.RETURNED):
                    actions.submit_draft(draft, actor=user)
        except PublishingError as error:
            _apply_error(form, error)
        else:
            draft.refresh_from_db()
            after = workflow.state_of(draft)
            if before.status in (Status.IN_REVIEW, Status.APPROVED) and after.submission != before.submission:
                messages.warning(request, "稿件已修改：此前的审核意见不再适用，已重新送审，须从初审开始重新审核。")
            elif after.status == Status.IN_REVIEW and before.status != Status.IN_REVIEW:
                messages.success(request, "稿件已送审，等待初审。")
            else:
                messages.success(request, "稿件已保存。")
            return redirect("draft_detail", pk=draft.pk)
    return render(request, "publishing/draft_form.html", {"form": form, "draft": draft, "state": before})


# --- The draft and its review ------------------------------------------------------------------------------


def _chain(draft: Draft, state: workflow.State) -> list[dict]:
    """Each level of the current submission: its decision, or whether it is waiting or not reached yet."""
    current = state.submission if state.status != Status.DRAFT else None
    decided = {d.stage: d for d in state.decisions} if current else {}
    rows = []
    for stage in workflow.stages_for(draft):
        decision = decided.get(stage.value)
        rows.append({"stage": stage, "role": workflow.STAGE_ROLE[stage].label, "decision": decision,
                     "waiting": state.stage == stage})
    return rows


def _approved_before(draft: Draft, state: workflow.State):
    """The newest earlier version some level approved, when the current content differs from it (edited since)."""
    earlier = draft.submissions.filter(decisions__verdict=Decision.Verdict.APPROVE).exclude(
        content_hash=draft.content_hash).distinct().order_by("-id").first()
    if earlier is None or state.status in (Status.APPROVED, Status.PUBLISHED):
        return None  # once the new version has passed every level, the old one no longer matters
    return earlier


def _detail_context(request, draft: Draft, **forms) -> dict:
    user = request.user
    state = workflow.state_of(draft)
    allowed = workflow.allowed_actions(draft, user, state)
    submission = state.submission
    findings = submission.findings if submission else []
    current = submission is not None and state.status != Status.DRAFT
    shown_body = submission.body if current else draft.body
    shown_findings = findings if current else []
    blocking = submission.blocking if current else []
    accounts = list(draft.accounts.select_related("platform"))
    publications = list(draft.publications.select_related("account__platform", "recorded_by").order_by("-id"))
    approved = _approved_before(draft, state)
    context = {
        "draft": draft, "state": state, "allowed": {k: v is None for k, v in allowed.items()},
        "refusals": allowed, "chain": _chain(draft, state), "accounts": accounts,
        "attachments": list(draft.attachments.all()), "publications": publications,
        "history": list(Decision.objects.filter(submission__draft=draft).select_related("actor", "submission")
                        .order_by("id")),
        "submission": submission, "current": current, "stale_findings": bool(findings) and not current,
        "findings": display.findings_table(shown_findings), "blocking": blocking,
        "title_html": display.highlighted(draft.title if not current else submission.title,
                                          [f for f in shown_findings if f["where"] == "标题"])[0],
        "paragraphs": display.annotated_body(shown_body, shown_findings),
        "preview": mark_safe(content.sanitize(draft.body)),  # noqa: S308 — sanitised just now (nh3)
        "needs_override": current and state.stage == Stage.SIGN and bool(blocking),
        "decision_form": forms.get("decision_form") or DecisionForm(),
        "publication_form": forms.get("publication_form") or PublicationForm(_unpublished_accounts(draft)),
        "refusal": forms.get("refusal"),
    }
    if draft.kind == "reprint" and draft.original_title and draft.original_title != draft.title:
        context["title_pair"] = display.title_pair(draft.original_title, draft.title)
    if approved is not None:
        context["approved_version"] = approved
        context["approved_levels"] = "、".join(Stage(d.stage).label for d in approved.decisions.all()
                                               if d.verdict == Decision.Verdict.APPROVE)
        context["body_diff"] = display.body_diff(approved.body, draft.body)
        if approved.title != draft.title:
            context["title_diff"] = display.text_diff(approved.title, draft.title)
    context["register_rows"] = register.register_rows(draft) if submission else []
    return context


def _detail(request, draft: Draft, *, error: PublishingError | None = None, **forms):
    status = 200
    if error is not None:
        status = STATUS_CODES.get(error.code, 200)
        form = forms.get("decision_form") or forms.get("publication_form")
        if form is not None and error.field and error.field in form.fields:
            form.add_error(error.field, error.message)
        else:
            forms["refusal"] = error.message
    return render(request, "publishing/draft_detail.html", _detail_context(request, draft, **forms), status=status)


@login_required
def draft_detail(request, pk: int):
    return _detail(request, _get_draft_for_user(request.user, pk))


@login_required
@require_POST
def draft_submit(request, pk: int):
    draft = _get_draft_for_user(request.user, pk)
    try:
        submission = actions.submit_draft(draft, actor=request.user)
    except PublishingError as error:
        return _detail(request, draft, error=error)
    blocking = len(submission.blocking)
    messages.success(request, "稿件已送审，等待初审。" + (f"检查发现{blocking}处阻断问题，请在审核前修改或由签发人写明放行理由。"
                                                     if blocking else ""))
    return redirect("draft_detail", pk=draft.pk)


@login_required
@require_POST
def draft_decide(request, pk: int):
    draft = _get_draft_for_user(request.user, pk)
    form = DecisionForm(request.POST)
    form.is_valid()  # every field is optional; the action decides what is required
    data = form.cleaned_data
    try:
        decision = actions.decide(draft, verdict=request.POST.get("decision", ""), actor=request.user,
                                  comment=data.get("comment", ""), override_reason=data.get("override_reason", ""),
                                  stage=request.POST.get("stage") or None,
                                  content_hash=request.POST.get("version") or None)
    except PublishingError as error:
        return _detail(request, draft, error=error, decision_form=form)
    label = Stage(decision.stage).label
    if decision.verdict == Decision.Verdict.APPROVE:
        messages.success(request, f"已同意（{label}）。" + ("放行理由已记录。" if decision.override_reason else ""))
    else:
        messages.success(request, f"已退回修改（{label}），撰稿人将收到通知。")
    return redirect("draft_detail", pk=draft.pk)


@login_required
@require_POST
def draft_publish(request, pk: int):
    draft = _get_draft_for_user(request.user, pk)
    form = PublicationForm(_unpublished_accounts(draft), request.POST)
    if not form.is_valid():
        return _detail(request, draft, publication_form=form)
    data = form.cleaned_data
    try:
        publication = actions.record_publication(draft, account=data["account"], actor=request.user,
                                                 url=data["url"], published_at=data["published_at"],
                                                 failure_reason=data["failure_reason"])
    except PublishingError as error:
        return _detail(request, draft, error=error, publication_form=form)
    if publication.published_at:
        messages.success(request, f"已登记在{data['account']}发布。")
    else:
        messages.warning(request, f"已登记在{data['account']}发布失败：{publication.failure_reason}")
    return redirect("draft_detail", pk=draft.pk)


@login_required
def draft_register(request, pk: int):
    """《区人社局信息发布审核登记表》 as .docx."""
    draft = _get_draft_for_user(request.user, pk)
    response = HttpResponse(register.build_register(draft), content_type=DOCX)
    name = f"审核登记表-{draft.pk}.docx"
    response["Content-Disposition"] = f"attachment; filename=\"register-{draft.pk}.docx\"; filename*=UTF-8''{quote(name)}"
    return response


@login_required
def attachment_download(request, pk: int, attachment_pk: int):
    draft = _get_draft_for_user(request.user, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, draft=draft)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


# --- The office's review of overrides ------------------------------------------------------------------------


@login_required
def override_list(request):
    if not access.sees_all_units(request.user):
        raise PermissionDenied
    page = Paginator(queries.overrides(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "publishing/override_list.html", {"page": page, "query": ""})


# --- Reprint directives (第六条) -------------------------------------------------------------------------------


@login_required
def directive_list(request):
    now = timezone.now()
    directives = queries.with_progress(queries.directives_for(request.user)).order_by("-received_at", "-id")
    page = Paginator(directives, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "publishing/directive_list.html", {
        "page": page, "query": "", "now": now,
        "rows": [(d, d.accounts_done < d.accounts_total and now > d.due_at) for d in page],
        "can_create": access.is_office(request.user) and not request.user.has_role(Role.AUDITOR),
    })


@login_required
def directive_new(request):
    if not access.is_office(request.user) or request.user.has_role(Role.AUDITOR):
        raise PermissionDenied
    form = DirectiveForm(_accounts_with_platform().not_cancelled(), request.POST or None,
                         initial={"received_at": timezone.localtime().replace(second=0, microsecond=0)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            directive = actions.create_directive(title=data["title"], source=data["source"], url=data["url"],
                                                 received_at=data["received_at"],
                                                 accounts=list(data["accounts"]), actor=request.user)
        except PublishingError as error:
            _apply_error(form, error)
        else:
            messages.success(request, f"已下达转载通知，须在{timezone.localtime(directive.due_at):%m月%d日%H:%M}前转载。")
            return redirect("directive_detail", pk=directive.pk)
    return render(request, "publishing/directive_form.html", {"form": form})


@login_required
def directive_detail(request, pk: int):
    directive = get_object_or_404(ReprintDirective.objects.select_related("created_by"), pk=pk)
    if not queries.directives_for(request.user).filter(pk=pk).exists():
        raise Http404
    now = timezone.now()
    rows = directives.rows(directive, now)
    own = [row for row in rows if row["account"].unit_id == request.user.unit_id]
    return render(request, "publishing/directive_detail.html", {
        "directive": directive, "rows": rows, "overdue": any(row["status"] == directives.OVERDUE for row in rows),
        "can_reprint": bool(own) and _draftable_accounts(request.user).exists(),
    })


# --- Notifications ------------------------------------------------------------------------------------------------


@login_required
def notification_list(request):
    page = Paginator(Notification.objects.filter(person=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "publishing/notification_list.html", {"page": page, "query": ""})


@login_required
@require_POST
def notification_read(request):
    """Mark one notification (``id``) or all of the person's unread ones as read."""
    if (pk := request.POST.get("id", "")).isdigit():
        notification = get_object_or_404(Notification, pk=int(pk), person=request.user)
        notify.mark_read(request.user, notification.pk)
        if notification.url.startswith("/") and not notification.url.startswith("//"):
            return redirect(notification.url)
    else:
        count = notify.mark_read(request.user)
        messages.success(request, f"已将{count}条通知标为已读。")
    return redirect("notification_list")

"""常态化监管 pages: what was published, messages to answer, and where posts are fetched from.

Thin views: fetch with permission (another unit's object → 404; seen but not permitted → 403) → form → one
action → redirect. Lists filter, sort, page and export through the functions in ``queries.py``.
"""

from __future__ import annotations

import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import cached_property
from django.views.decorators.http import require_POST

from govmedia import policy
from govmedia.monitoring import access, actions, feeds, imports, queries
from govmedia.monitoring.actions import MonitoringError
from govmedia.monitoring.forms import FeedForm, ImportForm, PostForm, ReplyForm
from govmedia.monitoring.models import FeedKind, FeedSource, Interaction, Post, PostSource
from govmedia.monitoring.tables import XLSX_TYPE
from govmedia.monitoring.updates import update_of
from govmedia.org import access as org_access
from govmedia.registry.models import Account, today

PAGE_SIZE = 50


class CappedPaginator(Paginator):
    """Counting a million posts for the pager costs more than the page itself: count up to COUNT_CAP rows and
    say "COUNT_CAP+" beyond (filters narrow the list; the export and the API carry the exact figures)."""

    COUNT_CAP = 10_000

    @cached_property
    def count(self) -> int:
        n = self.object_list[: self.COUNT_CAP + 1].count()
        self.capped = n > self.COUNT_CAP
        return min(n, self.COUNT_CAP)


def _page(request, qs):
    page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


def _xlsx(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _apply(form, error: MonitoringError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


# --- posts ------------------------------------------------------------------------------------------------


@login_required
def post_list(request):
    qs, active = queries.filter_posts(request.user, request.GET)
    sort = request.GET.get("sort", "-published")
    page, query = _page(request, queries.sort_posts(qs, sort).defer("text"))
    return render(request, "monitoring/post_list.html", {
        "page": page, "query": query, "active": active, "sort": sort, **queries.filter_choices(request.user),
        "can_record": access.can_record_any(request.user),
    })


@login_required
def post_export(request):
    qs, _ = queries.filter_posts(request.user, request.GET)
    qs = queries.sort_posts(qs, request.GET.get("sort", "-published"))
    total = qs.count()
    data = imports.export_posts(qs[:policy.POST_IMPORT_MAX_ROWS], actor=request.user, total=total)
    return _xlsx(data, f"posts-{today():%Y%m%d}.xlsx")


def _get_post_for_user(user, pk: int) -> Post:
    post = get_object_or_404(Post.objects.select_related("account__unit", "account__platform",
                                                         "publication__draft"), pk=pk)
    if not org_access.can_view_unit(user, post.account.unit_id):
        raise Http404
    return post


@login_required
def post_detail(request, pk: int):
    post = _get_post_for_user(request.user, pk)
    return render(request, "monitoring/post_detail.html", {
        "post": post, "update": update_of(post.account),
        "interactions": post.interactions.all()[:20],
    })


@login_required
def post_new(request):
    if not access.can_record_any(request.user):
        raise PermissionDenied
    form = PostForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            post, created = actions.record_post(
                account=data["account"], published_at=data["published_at"], title=data["title"],
                url=data["url"], kind=data["kind"], text=data["text"], source=PostSource.MANUAL, actor=request.user)
        except MonitoringError as error:
            _apply(form, error)
        else:
            if created:
                messages.success(request, f"已登记{post.account}的发布内容《{post.title}》。")
            else:
                messages.info(request, f"该内容此前已登记（{post.get_source_display()}），未重复登记。")
            return redirect("post_detail", pk=post.pk)
    return render(request, "monitoring/post_form.html", {"form": form})


def _import_page(request, *, importer, template_name: str, done: str, columns, success):
    if not access.can_record_any(request.user):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = importer(form.cleaned_data["file"], actor=request.user)
        if result.ok:
            messages.success(request, success(result))
            return redirect(done)
    return render(request, "monitoring/import.html", {"form": form, "result": result, "columns": columns,
                                                      "template_url": template_name, **_import_text(done)})


def _import_text(done: str) -> dict:
    if done == "post_list":
        return {"title": "导入发布内容", "back": "post_list", "back_label": "发布内容"}
    return {"title": "导入互动留言", "back": "interaction_list", "back_label": "互动留言"}


@login_required
def post_import(request):
    return _import_page(
        request, importer=imports.import_posts, template_name="post_template", done="post_list",
        columns=imports.POST_COLUMNS,
        success=lambda r: f"已导入{r.created}条发布内容" + (f"，{r.skipped}条此前已登记，已跳过" if r.skipped else "") + "。")


@login_required
def post_template(request):
    return _xlsx(imports.post_template(), "posts-template.xlsx")


# --- interactions -----------------------------------------------------------------------------------------


@login_required
def interaction_list(request):
    qs, active = queries.filter_interactions(request.user, request.GET)
    page, query = _page(request, qs.order_by("-received_at", "-id"))
    recordable = set(access.recordable_units(request.user).values_list("pk", flat=True))
    clock = queries.ReplyClock.load()
    return render(request, "monitoring/interaction_list.html", {
        "page": page, "query": query, "active": active, **queries.filter_choices(request.user),
        "rows": [(i, clock.due(i), clock.late(i), i.account.unit_id in recordable) for i in page],
        "can_record": bool(recordable), "unanswered_count": queries.unanswered(request.user).count(),
    })


@login_required
def interaction_export(request):
    qs, _ = queries.filter_interactions(request.user, request.GET)
    qs = qs.order_by("-received_at", "-id")
    data = imports.export_interactions(qs[:policy.POST_IMPORT_MAX_ROWS], actor=request.user, total=qs.count())
    return _xlsx(data, f"interactions-{today():%Y%m%d}.xlsx")


@login_required
def interaction_reply(request, pk: int):
    interaction = get_object_or_404(Interaction.objects.select_related("account__unit", "account__platform"), pk=pk)
    if not org_access.can_view_unit(request.user, interaction.account.unit_id):
        raise Http404
    if not access.can_record(request.user, interaction.account.unit_id):
        raise PermissionDenied
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_reply(interaction, reply=form.cleaned_data["reply"], actor=request.user,
                                 replied_at=form.cleaned_data["replied_at"])
        except MonitoringError as error:
            _apply(form, error)
        else:
            messages.success(request, f"已登记对{interaction.author or '网友'}的回复。")
            return redirect("interaction_list")
    clock = queries.ReplyClock.load()
    return render(request, "monitoring/interaction_reply.html", {
        "form": form, "interaction": interaction, "due": clock.due(interaction), "late": clock.late(interaction)})


@login_required
def interaction_import(request):
    return _import_page(
        request, importer=imports.import_interactions, template_name="interaction_template", done="interaction_list",
        columns=imports.INTERACTION_COLUMNS,
        success=lambda r: f"已导入{r.created}条互动留言" + (f"，登记{r.replied}条回复" if r.replied else "")
        + (f"，{r.skipped}条此前已导入，已跳过" if r.skipped else "") + "。")


@login_required
def interaction_template(request):
    return _xlsx(imports.interaction_template(), "interactions-template.xlsx")


# --- content sources --------------------------------------------------------------------------------------


def _get_account_for_user(user, pk: int) -> Account:
    account = get_object_or_404(Account.objects.select_related("unit", "platform"), pk=pk)
    if not org_access.can_view_unit(user, account.unit_id):
        raise Http404
    return account


def _feed_rows(qs) -> list[tuple[FeedSource, bool]]:
    return [(f, bool(f.secret_env and os.environ.get(f.secret_env))) for f in qs]


@login_required
def feed_overview(request):
    accounts = queries.with_feed_counts(access.visible_accounts(request.user))
    feeds_ = FeedSource.objects.filter(account__in=access.visible_accounts(request.user)).select_related(
        "account__unit", "account__platform")
    return render(request, "monitoring/feed_overview.html", {"accounts": accounts, "rows": _feed_rows(feeds_)})


@login_required
def feed_list(request, pk: int):
    account = _get_account_for_user(request.user, pk)
    can_manage = access.can_manage_feeds(request.user, account.unit_id)
    form = FeedForm(request.POST or None, initial={"kind": FeedKind.RSS, "enabled": True})
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                feed = actions.configure_feed(account, actor=request.user, **form.cleaned_data)
            except MonitoringError as error:
                _apply(form, error)
            else:
                messages.success(request, f"已添加内容来源：{feed.get_kind_display()}。可点击“立即抓取”检查配置。")
                return redirect("feed_list", pk=account.pk)
    return render(request, "monitoring/feed_list.html", {
        "account": account, "rows": _feed_rows(account.feeds.all()), "form": form, "can_manage": can_manage,
        "update": update_of(account), "recent": account.posts.all()[:10],
    })


def _get_feed(request, pk: int, feed_pk: int) -> tuple[Account, FeedSource]:
    account = _get_account_for_user(request.user, pk)
    feed = get_object_or_404(FeedSource, pk=feed_pk, account=account)
    if not access.can_manage_feeds(request.user, account.unit_id):
        raise PermissionDenied
    return account, feed


@login_required
def feed_edit(request, pk: int, feed_pk: int):
    account, feed = _get_feed(request, pk, feed_pk)
    initial = {field: getattr(feed, field) for field in actions.FEED_FIELDS}
    form = FeedForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.configure_feed(account, feed=feed, actor=request.user, **form.cleaned_data)
        except MonitoringError as error:
            _apply(form, error)
        else:
            messages.success(request, "已保存内容来源。")
            return redirect("feed_list", pk=account.pk)
    return render(request, "monitoring/feed_form.html", {"account": account, "feed": feed, "form": form})


@login_required
@require_POST
def feed_fetch(request, pk: int, feed_pk: int):
    account, feed = _get_feed(request, pk, feed_pk)
    result = feeds.fetch_feed(feed, actor=request.user)
    if result.ok:
        messages.success(request, f"抓取完成：{result.summary()}。")
    else:
        messages.error(request, f"抓取{result.summary()}")
    return redirect("feed_list", pk=account.pk)

"""What the system already knows about an account over an inspection period: the pre-filled checklist answers.

``facts_for(account, start, end, now)`` returns, for each automatic checklist item, a ``Fact`` — pass, fail or
not applicable, with the evidence in words an inspector can check. The reference moment is the end of the
period (or now, if earlier): the update state is the one at that moment, as the national indicator asks about
the two weeks before a check.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import F, Max, Q
from django.utils import timezone

from govmedia import policy, workdays
from govmedia.monitoring.models import Interaction, Post
from govmedia.monitoring.updates import UpdateStatus, status_for
from govmedia.publishing import directives
from govmedia.publishing.models import ReprintDirective
from govmedia.registry.models import Account, Filing, Status
from govmedia.workcal.calendar import overrides

FAILING_UPDATE = {UpdateStatus.OVERDUE, UpdateStatus.VETO, UpdateStatus.DORMANT}
SEVERITY_ORDER = ("severe", "major", "general")


@dataclass(frozen=True)
class Fact:
    outcome: str            # pass | fail | na
    evidence: str
    severity: str | None = None  # a fail's severity when the data says more than the checklist's default


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _day(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return f"{local.year}年{local.month}月{local.day}日"


def reply_cutoff(today: date, n: int, days_off: dict | None = None) -> date:
    """The last day a message could arrive and be overdue today: its reply deadline (n working days) has passed."""
    days_off = overrides() if days_off is None else days_off
    day = today - timedelta(days=1)
    while workdays.add(day, n, overrides=days_off).date >= today:
        day -= timedelta(days=1)
    return day


def facts_for(account: Account, start: date, end: date, now: datetime | None = None) -> dict[str, Fact]:
    now = now or timezone.now()
    at = min(now, _start_of(end + timedelta(days=1)))
    return {
        "update": _update(account, start, at),
        "reprint": _reprint(account, start, at, now),
        "filing": _filing(account, start, end, timezone.localdate(now)),
        "content": _content(account, start, at),
        "interaction": _interaction(account, timezone.localdate(now)),
    }


def _update(account: Account, start: date, at: datetime) -> Fact:
    if account.status(timezone.localdate(at - timedelta(microseconds=1))) != Status.RUNNING:
        return Fact("na", f"截至{_day(at - timedelta(microseconds=1))}账号不在运行状态，无更新要求")
    posts = Post.objects.filter(account=account, published_at__lt=at)
    last = posts.aggregate(last=Max("published_at"))["last"]
    in_period = posts.filter(published_at__gte=_start_of(start)).count()
    reference = last or _start_of(account.opened_on)
    state = status_for(reference, at)
    days = (at - reference).days
    since = f"最近一次发布于{_day(last)}，距检查时点{days}天" if last else f"开设以来未发布内容（{days}天）"
    evidence = f"检查期间发布{in_period}条；{since}；更新状态：{state.label}"
    if state in FAILING_UPDATE:
        veto = "（国家检查指标单项否决）" if state in (UpdateStatus.VETO, UpdateStatus.DORMANT) else ""
        return Fact("fail", f"{evidence}{veto}，未做到至少每周更新")
    return Fact("pass", evidence)


def _reprint(account: Account, start: date, at: datetime, now: datetime) -> Fact:
    named = ReprintDirective.objects.filter(accounts=account, due_at__gte=_start_of(start), due_at__lt=at)
    late, missing, on_time = [], [], 0
    for directive in named.order_by("due_at"):
        status = directives.account_status(directive, account, now)
        if status == directives.DONE:
            on_time += 1
        elif status == directives.DONE_LATE:
            late.append(f"《{directive.title}》")
        elif status == directives.OVERDUE:
            missing.append(f"《{directive.title}》")
    total = on_time + len(late) + len(missing)
    if total == 0:
        return Fact("pass", "检查期间没有须转载的通知")
    evidence = f"检查期间转载通知{total}条，按时转载{on_time}条"
    if late:
        evidence += f"，超过{policy.REPRINT_HOURS}小时转载{len(late)}条：{'、'.join(late)}"
    if missing:
        evidence += f"，逾期未转载{len(missing)}条：{'、'.join(missing)}"
    return Fact("fail" if late or missing else "pass", evidence)


def _filing(account: Account, start: date, end: date, today: date) -> Fact:
    filings = Filing.objects.filter(event__account=account).select_related("event")
    overdue = list(filings.overdue(today))
    late = list(filings.filter(filed_on__gt=F("due_date"), filed_on__gte=start, filed_on__lte=end))
    lines = [f"{f.event.get_kind_display()}（生效{f.event.effective_date:%Y-%m-%d}，截止{f.due_date:%Y-%m-%d}）逾期未备案"
             for f in overdue]
    lines += [f"{f.event.get_kind_display()}（截止{f.due_date:%Y-%m-%d}，{f.filed_on:%Y-%m-%d}备案）逾期备案"
              for f in late]
    if lines:
        return Fact("fail", "；".join(lines))
    return Fact("pass", f"无逾期备案（第三条：{policy.FILING_WORKDAYS}个工作日内备案）")


def _content(account: Account, start: date, at: datetime) -> Fact:
    from govmedia.inspections.models import Source

    items = list(account.rectifications.filter(source=Source.PATROL, post__published_at__gte=_start_of(start),
                                               post__published_at__lt=at).select_related("post"))
    if not items:
        return Fact("pass", "巡检未发现检查期间发布内容中的阻断问题")
    unfixed = [i for i in items if i.accepted_at is None]
    evidence = f"巡检发现检查期间发布内容中阻断问题{len(items)}个，已整改{len(items) - len(unfixed)}个"
    if not unfixed:
        return Fact("pass", evidence)
    worst = min((i.severity for i in unfixed), key=SEVERITY_ORDER.index)
    details = "；".join(f"整改事项{i.pk}：{i.problem[:50]}" for i in unfixed[:5])
    return Fact("fail", f"{evidence}，未整改{len(unfixed)}个：{details}", worst)


def _interaction(account: Account, today: date) -> Fact:
    n = policy.INTERACTION_REPLY_WORKDAYS
    cutoff = reply_cutoff(today, n)
    waiting = Interaction.objects.filter(Q(account=account), Q(replied_at__isnull=True),
                                         Q(received_at__lt=_start_of(cutoff + timedelta(days=1))))
    count = waiting.count()
    if count:
        oldest = waiting.order_by("received_at").values_list("received_at", flat=True).first()
        return Fact("fail", f"{count}条留言、评论超过{n}个工作日未回复（最早一条收到于{_day(oldest)}）")
    return Fact("pass", f"没有超过{n}个工作日未回复的留言、评论")

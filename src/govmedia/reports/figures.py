"""The figures of a monthly or quarterly report (第六条 updates, 原创占比, 第六条 reprints), for one scope.

A period is [start, end) in local days. Figures stop at the end of the period, or now while it is still
running. "Longest gap" (最长未更新) is the longest stretch within the period without a post: from the period's
start (or the account's opening, or its previous post, whichever is latest) to the next post, between posts, and
from the last post to the period's end (or the account's closure). Silence before the period is not counted
there — the post history of an account may begin when the platform was installed — but it does count in the
state at the period's end, which is the state ``monitoring.updates`` would have shown at that instant.

A fixed number of queries: the accounts (with their last post before the period), posts counted per account and
per week in the database, one ordered pass over the period's posting times (the gaps need the sequence), and one
grouped query for the directives.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncWeek
from django.utils import timezone

from govmedia import policy
from govmedia.monitoring.models import Post, PostKind
from govmedia.monitoring.updates import status_for
from govmedia.org.models import Unit
from govmedia.publishing.models import Kind, Publication
from govmedia.registry.models import Account
from govmedia.reports import states
from govmedia.reports.dashboard import DirectiveAccount, local_midnight

QUARTER_NAMES = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}
NOT_RUNNING = {"closed": "已关停", "cancelled": "已注销"}


class PeriodError(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


@dataclass(frozen=True)
class Period:
    kind: str      # "month" or "quarter"
    year: int
    number: int    # month 1–12 or quarter 1–4

    @classmethod
    def of(cls, kind: str, year: int, number: int, today: date) -> Period:
        if kind not in ("month", "quarter"):
            raise PeriodError("kind", "报表类型须为月报或季报")
        if not 2000 <= year <= today.year:
            raise PeriodError("year", f"年份须在2000年至{today.year}年之间")
        if not 1 <= number <= (12 if kind == "month" else 4):
            raise PeriodError("number", "月份须为1至12" if kind == "month" else "季度须为1至4")
        period = cls(kind, year, number)
        if period.start > today:
            raise PeriodError("number", f"{period.label}尚未开始，无法统计")
        return period

    @classmethod
    def previous_month(cls, today: date) -> Period:
        first = today.replace(day=1) - timedelta(days=1)
        return cls("month", first.year, first.month)

    @property
    def start(self) -> date:
        return date(self.year, self.number if self.kind == "month" else 3 * self.number - 2, 1)

    @property
    def end(self) -> date:
        """The first day after the period."""
        months = 1 if self.kind == "month" else 3
        month = self.start.month + months
        return date(self.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)

    @property
    def label(self) -> str:
        return f"{self.year}年{self.number}月" if self.kind == "month" else f"{self.year}年{QUARTER_NAMES[self.number]}"

    @property
    def title(self) -> str:
        return "政务新媒体运行情况" + ("月报" if self.kind == "month" else "季报")

    @property
    def slug(self) -> str:
        return f"{self.year}-{self.number:02d}" if self.kind == "month" else f"{self.year}-Q{self.number}"


@dataclass
class AccountFigures:
    account: Account
    posts: int = 0
    originals: int = 0
    longest_gap: int = 0                  # whole days
    last_post_at: datetime | None = None  # as of the period's end
    end_status: str = ""                  # an update state, or "closed"/"cancelled"
    directives: int = 0                   # reprints whose 24 hours ended in the period
    directives_on_time: int = 0

    @property
    def share(self) -> float | None:
        return round(100 * self.originals / self.posts, 1) if self.posts else None

    @property
    def end_label(self) -> str:
        return states.LABELS.get(self.end_status) or NOT_RUNNING.get(self.end_status, "—")


@dataclass
class UnitFigures:
    unit: Unit
    accounts: list[AccountFigures] = field(default_factory=list)

    def _sum(self, name: str) -> int:
        return sum(getattr(a, name) for a in self.accounts)

    @property
    def posts(self) -> int:
        return self._sum("posts")

    @property
    def originals(self) -> int:
        return self._sum("originals")

    @property
    def share(self) -> float | None:
        return round(100 * self.originals / self.posts, 1) if self.posts else None

    @property
    def directives(self) -> int:
        return self._sum("directives")

    @property
    def directives_on_time(self) -> int:
        return self._sum("directives_on_time")

    @property
    def longest_gap(self) -> int:
        return max((a.longest_gap for a in self.accounts), default=0)

    @property
    def state_counts(self) -> dict[str, int]:
        return _state_counts(self.accounts)

    @property
    def compliance(self) -> float | None:
        return states.compliance_rate(self.state_counts)


def _state_counts(accounts: list[AccountFigures]) -> dict[str, int]:
    counts = dict.fromkeys(states.SEVERITY, 0)
    for a in accounts:
        if a.end_status in counts:
            counts[a.end_status] += 1
    return counts


@dataclass
class Report:
    period: Period
    scope: str                         # 全局 or the unit's name
    until: datetime                    # the figures' end: the period's end, or now while it runs
    generated_at: datetime
    units: list[UnitFigures]
    weeks: list[date]                  # Mondays of the weeks the period touches
    weekly: list[int]                  # posts per week (within the period)

    @property
    def accounts(self) -> list[AccountFigures]:
        return [a for u in self.units for a in u.accounts]

    @property
    def posts(self) -> int:
        return sum(u.posts for u in self.units)

    @property
    def originals(self) -> int:
        return sum(u.originals for u in self.units)

    @property
    def share(self) -> float | None:
        return round(100 * self.originals / self.posts, 1) if self.posts else None

    @property
    def state_counts(self) -> dict[str, int]:
        return _state_counts(self.accounts)

    @property
    def compliance(self) -> float | None:
        return states.compliance_rate(self.state_counts)

    @property
    def directives(self) -> int:
        return sum(u.directives for u in self.units)

    @property
    def directives_on_time(self) -> int:
        return sum(u.directives_on_time for u in self.units)

    @property
    def running_at_end(self) -> int:
        return sum(self.state_counts.values())

    @property
    def finished(self) -> bool:
        return self.until >= local_midnight(self.period.end)

    def attention(self) -> list[AccountFigures]:
        """Accounts to name in the report: single veto or dormant at the end, or a gap beyond a week."""
        return [a for a in self.accounts
                if a.end_status in ("veto", "dormant") or a.longest_gap > policy.UPDATE_WEEKLY_DAYS]

    def summary(self) -> str:
        """The report's opening paragraph, with its figures."""
        counts = self.state_counts
        share = f"{self.share}%" if self.share is not None else "—"
        rate = f"{self.compliance}%" if self.compliance is not None else "—"
        when = "期末" if self.finished else f"截至{timezone.localtime(self.until):%Y年%m月%d日%H时}"
        state_text = "、".join(f"{states.LABELS[code]}{counts[code]}个" for code in states.SEVERITY)
        return (
            f"{self.period.label}，{self.scope}纳入统计的政务新媒体账号{len(self.accounts)}个，"
            f"共发布信息{self.posts}条，其中原创{self.originals}条，原创占比{share}。"
            f"{when}运行中的账号{self.running_at_end}个：{state_text}，更新合规率{rate}。"
            f"本期须在{policy.REPRINT_HOURS}小时内转载的上级重要信息涉及{self.directives}个账号次，按时转载{self.directives_on_time}个账号次。"
        )


def accounts_in(period: Period, units: QuerySet[Unit], today: date) -> QuerySet[Account]:
    """Accounts of ``units`` that were running at some time in the period (up to today)."""
    first, last = period.start, min(period.end - timedelta(days=1), today)
    return (Account.objects.filter(unit__in=units, opened_on__lte=last)
            .exclude(closed_on__lte=first).exclude(cancelled_on__lte=first))


def build(period: Period, units: QuerySet[Unit], scope: str, now: datetime | None = None) -> Report:
    now = now or timezone.now()
    start, end = local_midnight(period.start), local_midnight(period.end)
    until = min(end, now)
    accounts_qs = accounts_in(period, units, timezone.localdate(now))
    before = (Post.objects.filter(account=OuterRef("pk"), published_at__lt=start)
              .order_by("-published_at").values("published_at")[:1])
    accounts = list(accounts_qs.select_related("unit", "platform").annotate(last_before=Subquery(before))
                    .order_by("unit__sort_order", "unit_id", "platform__sort_order", "id"))
    figures = {a.pk: AccountFigures(account=a) for a in accounts}
    in_period = Post.objects.filter(account__in=accounts_qs.values("pk"), published_at__gte=start,
                                    published_at__lt=until)

    for row in (in_period.values("account_id").order_by()
                .annotate(n=Count("id"), originals=Count("id", filter=Q(kind=PostKind.ORIGINAL)))):
        figures[row["account_id"]].posts, figures[row["account_id"]].originals = row["n"], row["originals"]

    weeks = _weeks(period)
    weekly = [0] * len(weeks)
    for row in in_period.annotate(week=TruncWeek("published_at")).values("week").order_by().annotate(n=Count("id")):
        weekly[(timezone.localtime(row["week"]).date() - weeks[0]).days // 7] += row["n"]

    # The gaps need each account's posts in order: one pass over two columns, little work per post.
    previous: dict[int, datetime] = {}
    longest: dict[int, timedelta] = {}
    current, prev, widest = None, None, timedelta(0)
    for account_id, published_at in (in_period.order_by("account_id", "published_at")
                                     .values_list("account_id", "published_at").iterator(chunk_size=10000)):
        if account_id != current:
            if current is not None:
                previous[current], longest[current] = prev, widest
            current, prev, widest = account_id, _clock_start(figures[account_id].account, start), timedelta(0)
        if published_at - prev > widest:
            widest = published_at - prev
        prev = published_at
    if current is not None:
        previous[current], longest[current] = prev, widest
    for account_id, gap in longest.items():
        figures[account_id].longest_gap = gap.days

    for f in figures.values():
        a = f.account
        stop = _duty_end(a, until)
        last = previous.get(a.pk) or a.last_before
        reference = last or local_midnight(a.opened_on)
        clock = previous.get(a.pk) or _clock_start(a, start)
        if stop > clock:
            f.longest_gap = max(f.longest_gap, (stop - clock).days)
        f.last_post_at = last
        f.end_status = _end_status(a, reference, until)

    for row in _directives(accounts_qs, start, end):
        f = figures[row["account_id"]]
        f.directives, f.directives_on_time = row["total"], row["on_time"]

    by_unit: dict[int, UnitFigures] = {}
    for a in accounts:
        by_unit.setdefault(a.unit_id, UnitFigures(unit=a.unit)).accounts.append(figures[a.pk])
    return Report(period=period, scope=scope, until=until, generated_at=now, units=list(by_unit.values()),
                  weeks=weeks, weekly=weekly)


def _weeks(period: Period) -> list[date]:
    monday = period.start - timedelta(days=period.start.weekday())
    weeks = []
    while monday < period.end:
        weeks.append(monday)
        monday += timedelta(weeks=1)
    return weeks


def _clock_start(account: Account, start: datetime) -> datetime:
    """Where the period's first stretch without a post begins: the period's start, or a later opening."""
    return max(start, local_midnight(account.opened_on))


def _duty_end(account: Account, until: datetime) -> datetime:
    stops = [until] + [local_midnight(d) for d in (account.closed_on, account.cancelled_on) if d is not None]
    return min(stops)


def _end_status(account: Account, reference: datetime, until: datetime) -> str:
    on = timezone.localdate(until - timedelta(microseconds=1))  # the last day the figures cover
    if account.cancelled_on and account.cancelled_on <= on:
        return "cancelled"
    if account.closed_on and account.closed_on <= on:
        return "closed"
    return status_for(reference, until).value


def _directives(accounts_qs: QuerySet[Account], start: datetime, end: datetime) -> QuerySet:
    """Per account: reprints whose deadline fell in the period, and how many were published by the deadline."""
    on_time = Publication.objects.filter(
        draft__kind=Kind.REPRINT, draft__directive_id=OuterRef("reprintdirective_id"),
        account_id=OuterRef("account_id"), published_at__isnull=False,
        published_at__lte=OuterRef("reprintdirective__due_at"),
    )
    return (DirectiveAccount.objects
            .filter(account_id__in=accounts_qs.values("pk"), reprintdirective__due_at__gte=start,
                    reprintdirective__due_at__lt=end)
            .annotate(in_time=Exists(on_time)).values("account_id")
            .annotate(total=Count("id"), on_time=Count("id", filter=Q(in_time=True))).order_by())


"""Named questions about drafts, always asked on behalf of someone.

A draft's status is derived (workflow.state_of) from its latest submission, that submission's decisions and
publications. Lists need it for many drafts at once, so ``with_state`` computes the same answer in SQL: one query
for a page of drafts instead of several per draft. tests/publishing/test_pages.py checks both agree, and that
``visible_drafts``/``waiting_for`` agree with workflow.can_view/allowed_actions for every persona and state.
"""

from __future__ import annotations

from datetime import datetime
from functools import reduce
from operator import or_

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from govmedia import policy
from govmedia.org.models import Person, Role
from govmedia.publishing import directives
from govmedia.publishing.models import (
    Decision,
    Draft,
    Importance,
    Kind,
    Notification,
    Publication,
    ReprintDirective,
    Stage,
    Status,
    Submission,
)
from govmedia.publishing.workflow import STAGE_ROLE, stages_for

STAGES_BY_IMPORTANCE = {Importance.NORMAL: policy.REVIEW_STAGES, Importance.MAJOR: policy.MAJOR_REVIEW_STAGES}


def with_state(drafts: QuerySet[Draft]) -> QuerySet[Draft]:
    """Annotate ``status_code`` (a Status value) and ``decided`` (levels approved on the latest submission).

    Decisions are only ever made at the waiting level, in order, so the number decided is the index of the
    level now waiting (see ``listed_state``)."""
    latest = Submission.objects.filter(draft=OuterRef("pk")).order_by("-id")
    on_latest = Decision.objects.filter(submission_id=OuterRef("latest_submission"))
    decided = on_latest.order_by().values("submission_id").annotate(n=Count("id")).values("n")
    drafts = drafts.annotate(
        latest_submission=Subquery(latest.values("id")[:1]),
        latest_hash=Subquery(latest.values("content_hash")[:1]),
    ).annotate(
        decided=Coalesce(Subquery(decided, output_field=IntegerField()), 0),
        returned=Exists(on_latest.filter(verdict=Decision.Verdict.RETURN)),
        published=Exists(Publication.objects.filter(submission_id=OuterRef("latest_submission"),
                                                    published_at__isnull=False)),
    )
    levels = Case(*[When(importance=importance, then=Value(len(names)))
                    for importance, names in STAGES_BY_IMPORTANCE.items()],
                  default=Value(len(policy.REVIEW_STAGES)), output_field=IntegerField())
    return drafts.annotate(status_code=Case(
        When(Q(latest_submission__isnull=True) | ~Q(latest_hash=F("content_hash")), then=Value(Status.DRAFT.value)),
        When(published=True, then=Value(Status.PUBLISHED.value)),
        When(returned=True, then=Value(Status.RETURNED.value)),
        When(decided__gte=levels, then=Value(Status.APPROVED.value)),
        default=Value(Status.IN_REVIEW.value), output_field=CharField(),
    ))


def listed_state(draft: Draft) -> tuple[Status, Stage | None]:
    """(status, waiting stage) of a draft annotated by ``with_state``; no query."""
    status = Status(draft.status_code)
    return status, (stages_for(draft)[draft.decided] if status == Status.IN_REVIEW else None)


def visible_drafts(person: Person) -> QuerySet[Draft]:
    """The drafts ``workflow.can_view`` lets this person see."""
    if not person.is_authenticated:
        return Draft.objects.none()
    if person.has_role(Role.OFFICE, Role.AUDITOR):
        return Draft.objects.all()
    if person.has_role(Role.VENDOR):
        return Draft.objects.filter(author=person)
    return Draft.objects.filter(unit_id=person.unit_id)


def _waiting_at(stage: Stage) -> Q:
    """Drafts (annotated by with_state) whose waiting level is ``stage``."""
    return reduce(or_, [Q(importance=importance, decided=names.index(stage.value))
                        for importance, names in STAGES_BY_IMPORTANCE.items() if stage.value in names])


def waiting_for(person: Person) -> QuerySet[Draft]:
    """Drafts in review whose waiting level this person may decide now (workflow.may_decide, in SQL)."""
    if not person.is_authenticated or not person.unit_id or person.has_role(Role.VENDOR, Role.AUDITOR):
        return Draft.objects.none()
    drafts = with_state(Draft.objects.filter(unit_id=person.unit_id).exclude(author=person)
                        .exclude(editors=person))
    mine = Decision.objects.filter(submission__draft=OuterRef("pk"), actor=person)
    conditions = []
    for stage, role in STAGE_ROLE.items():
        if not person.has_role(role):
            continue
        condition = _waiting_at(stage) & ~Exists(mine.exclude(stage=stage))  # one level per person per draft
        if stage == Stage.SECOND:
            condition &= Q(section__isnull=True) | Q(section_id=person.section_id)
        conditions.append(condition)
    if not conditions:
        return Draft.objects.none()
    return drafts.filter(reduce(or_, conditions), status_code=Status.IN_REVIEW.value)


def my_drafts(person: Person) -> QuerySet[Draft]:
    return with_state(Draft.objects.filter(author=person)) if person.is_authenticated else Draft.objects.none()


def my_returned(person: Person) -> QuerySet[Draft]:
    """The person's own drafts a reviewer returned for changes (not yet edited)."""
    return my_drafts(person).filter(status_code=Status.RETURNED.value)


def overrides() -> QuerySet[Decision]:
    """Every decision that let blocking findings through with a written reason, newest first (the office reviews)."""
    return (Decision.objects.exclude(override_reason="")
            .select_related("submission__draft__unit", "actor").order_by("-decided_at", "-id"))


def unread_notifications(person: Person) -> QuerySet[Notification]:
    return Notification.objects.filter(person=person, read_at__isnull=True)


# --- Reprint directives (第六条) ---------------------------------------------------------------------------


def directives_for(person: Person) -> QuerySet[ReprintDirective]:
    """The office and the auditor see every directive; others those naming an account of their unit."""
    if not person.is_authenticated:
        return ReprintDirective.objects.none()
    if person.has_role(Role.OFFICE, Role.AUDITOR):
        return ReprintDirective.objects.all()
    return ReprintDirective.objects.filter(accounts__unit_id=person.unit_id).distinct()


def with_progress(qs: QuerySet[ReprintDirective]) -> QuerySet[ReprintDirective]:
    """Annotate ``accounts_total`` and ``accounts_done`` (named accounts reprinted on) for a list page."""
    done = (Publication.objects.filter(draft__directive=OuterRef("pk"), draft__kind=Kind.REPRINT,
                                       published_at__isnull=False, account__directives=OuterRef("pk"))
            .order_by().values("draft__directive").annotate(n=Count("account", distinct=True)).values("n"))
    total = (ReprintDirective.accounts.through.objects.filter(reprintdirective_id=OuterRef("pk")).order_by()
             .values("reprintdirective_id").annotate(n=Count("id")).values("n"))
    return qs.annotate(accounts_total=Coalesce(Subquery(total, output_field=IntegerField()), 0),
                       accounts_done=Coalesce(Subquery(done, output_field=IntegerField()), 0))


# --- 待办 on the home page ---------------------------------------------------------------------------------

TODO_SHOWN = 10


def todo(person: Person, now: datetime) -> dict:
    """Drafts waiting at my level, my returned drafts, and the directives still to reprint (publishing.directives).

    Each list shows at most TODO_SHOWN; ``*_more`` says there are more (one row more is fetched, never a count)."""
    waiting = list(waiting_for(person).select_related("author").order_by("updated_at", "id")[:TODO_SHOWN + 1])
    returned = list(my_returned(person).order_by("-updated_at", "-id")[:TODO_SHOWN + 1])
    due = directives.due_for(person, now)
    return {
        "todo_waiting": [(d, listed_state(d)[1]) for d in waiting[:TODO_SHOWN]],
        "todo_waiting_more": len(waiting) > TODO_SHOWN,
        "todo_returned": returned[:TODO_SHOWN],
        "todo_returned_more": len(returned) > TODO_SHOWN,
        "todo_directives": due[:TODO_SHOWN],
        "todo_directives_count": len(due),
        "todo_overdue": sum(item["status"] == directives.OVERDUE for item in due),
    }

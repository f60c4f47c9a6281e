"""Who may do what with a draft — the one answer used by the pages, the API and the tests (第八条).

State is derived from facts: the draft's content hash, its latest submission, that submission's decisions and the
publication records. Rules: the author never decides on their own draft; a person decides at most one level of a
draft (over its whole history); an outsourced operator (外包人员) never decides; each level needs its role within
the draft's unit, and 复审 the 科室负责人 of the draft's own section.
"""

from __future__ import annotations

from dataclasses import dataclass

from govmedia import policy
from govmedia.org.models import Person, Role
from govmedia.publishing.models import Decision, Draft, Importance, Stage, Status, Submission

STAGE_ROLE = {Stage.FIRST: Role.CLERK, Stage.SECOND: Role.SECTION_CHIEF, Stage.SIGN: Role.SIGNER,
              Stage.FINAL: Role.DIRECTOR}

EDIT, SUBMIT, APPROVE, RETURN, PUBLISH = "edit", "submit", "approve", "return", "publish"


class Refusal(str):
    """A Chinese reason, with ``code``: "forbidden" (not this person) or "conflict" (not in this state)."""

    code = "forbidden"


class Conflict(Refusal):
    code = "conflict"


def stages_for(draft: Draft) -> list[Stage]:
    names = policy.MAJOR_REVIEW_STAGES if draft.importance == Importance.MAJOR else policy.REVIEW_STAGES
    return [Stage(name) for name in names]


@dataclass(frozen=True)
class State:
    status: Status
    stage: Stage | None             # the level waiting for a decision, when in review
    submission: Submission | None   # the latest submission (current only if its hash matches the draft)
    decisions: tuple[Decision, ...]


def state_of(draft: Draft) -> State:
    submission = draft.submissions.order_by("-id").first()
    if submission is None or submission.content_hash != draft.content_hash:
        return State(Status.DRAFT, None, submission, ())
    decisions = tuple(submission.decisions.select_related("actor").order_by("id"))
    if draft.publications.filter(submission=submission, published_at__isnull=False).exists():
        return State(Status.PUBLISHED, None, submission, decisions)
    if any(d.verdict == Decision.Verdict.RETURN for d in decisions):
        return State(Status.RETURNED, None, submission, decisions)
    approved = {d.stage for d in decisions}
    for stage in stages_for(draft):
        if stage not in approved:
            return State(Status.IN_REVIEW, stage, submission, decisions)
    return State(Status.APPROVED, None, submission, decisions)


def levels_decided_by(draft: Draft, person: Person) -> set[str]:
    return set(Decision.objects.filter(submission__draft=draft, actor=person).values_list("stage", flat=True))


def may_decide(draft: Draft, person: Person, stage: Stage) -> Refusal | None:
    """None if the person may decide this level now; otherwise the Chinese reason."""
    if person.pk == draft.author_id:
        return Refusal("撰稿人不能审核自己的稿件（严禁“自编自审自发”）")
    if draft.editors.filter(pk=person.pk).exists():
        return Refusal("您修改过该稿件的内容，不能再审核它（严禁“自编自审自发”）")
    if person.has_role(Role.VENDOR):
        return Refusal("外包人员不能参与审核（第二条、第八条）")
    if person.has_role(Role.AUDITOR):
        return Refusal("审计员只能查看，不能参与审核")
    role = STAGE_ROLE[stage]
    if not person.has_role(role):
        return Refusal(f"{stage.label}须由{role.label}进行")
    if person.unit_id != draft.unit_id:
        return Refusal(f"{stage.label}须由本单位的{role.label}进行")
    if stage == Stage.SECOND and draft.section_id and person.section_id != draft.section_id:
        return Refusal("复审须由承办科室的科室负责人进行")
    other_levels = levels_decided_by(draft, person) - {stage.value}
    if other_levels:
        done = "、".join(Stage(s).label for s in other_levels)
        return Refusal(f"同一人只能审核一个环节：您已参与本稿件的{done}")
    return None


def can_edit(draft: Draft, person: Person, status: Status) -> bool:
    """The author edits; so do reviewers of the draft's unit (复审校对). Published content is final."""
    if status == Status.PUBLISHED or not person.is_authenticated:
        return False
    if person.pk == draft.author_id:
        return True
    if person.unit_id != draft.unit_id or person.has_role(Role.AUDITOR):
        return False
    return person.has_role(Role.CLERK, Role.SECTION_CHIEF, Role.SIGNER, Role.DIRECTOR)


def can_view(draft: Draft, person: Person) -> bool:
    if not person.is_authenticated:
        return False
    if person.has_role(Role.OFFICE, Role.AUDITOR):
        return True
    if person.has_role(Role.VENDOR):
        return person.pk == draft.author_id
    return person.unit_id == draft.unit_id


def allowed_actions(draft: Draft, person: Person, state: State | None = None) -> dict[str, Refusal | None]:
    """Every action with None when allowed, or the Chinese reason it is not. The one answer for all callers."""
    state = state or state_of(draft)
    answers: dict[str, Refusal | None] = {}
    if not can_view(draft, person):
        return {action: Refusal("无权查看该稿件") for action in (EDIT, SUBMIT, APPROVE, RETURN, PUBLISH)}
    if can_edit(draft, person, state.status):
        answers[EDIT] = None
    elif state.status == Status.PUBLISHED:
        answers[EDIT] = Conflict("稿件已发布，不能再修改")
    else:
        answers[EDIT] = Refusal("您不能修改该稿件")
    if state.status in (Status.DRAFT, Status.RETURNED):
        answers[SUBMIT] = answers[EDIT]
    else:
        answers[SUBMIT] = Conflict(f"稿件{state.status.label}，无需送审")
    if state.status == Status.IN_REVIEW and state.stage is not None:
        reason = may_decide(draft, person, state.stage)
        answers[APPROVE] = answers[RETURN] = reason
    else:
        answers[APPROVE] = answers[RETURN] = Conflict(f"稿件{state.status.label}，当前没有待审环节")
    if state.status in (Status.APPROVED, Status.PUBLISHED):
        # The approved version may go to several accounts: after the first is recorded the others remain
        # (record_publication accepts both states, for the same people).
        answers[PUBLISH] = None if can_edit(draft, person, Status.APPROVED) else Refusal("您不能登记该稿件的发布")
    else:
        answers[PUBLISH] = Conflict("只有审核通过的稿件才能登记发布")
    return answers

"""Persona × level × history, and persona × state, for "approve": GENERATED from a rule table, not hand-picked.

The table restates 第八条 on its own (it does not import the workflow's rules): the author never decides; a
person decides one level of a draft, over all its versions; 外包人员 never decide; each level needs its role,
within the draft's unit; 复审 is for the 科室负责人 of the draft's own section. Each case is compared with
``workflow.allowed_actions`` (what the pages show) and with the API's answer (201, 403, or 404 when the person
cannot see the draft; 409 whenever the draft is not in review).

The draft is a major one (four levels) written by ``clerk`` for the bureau's 微信公众号. Levels not decided by
the persona under test are decided by extra people created here, so the persona's history is exactly the case's.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

import pytest
from django.db import transaction

from govmedia.demo import DEMO_PASSWORD
from govmedia.org import actions as org
from govmedia.org.actions import issue_token
from govmedia.org.models import Role, Section
from govmedia.publishing import actions, workflow
from govmedia.publishing.models import Draft
from govmedia.registry.models import Account


class Who(NamedTuple):
    roles: frozenset[str]
    unit: str
    section: str | None


# The demo bureau's people, restated: roles, unit and section.
PEOPLE = {
    "clerk": Who(frozenset({"clerk"}), "bureau", "就业促进科"),
    "clerk2": Who(frozenset({"clerk"}), "bureau", "就业促进科"),
    "chief": Who(frozenset({"section_chief"}), "bureau", "就业促进科"),
    "deputy": Who(frozenset({"section_chief", "signer"}), "bureau", "就业促进科"),
    "leader": Who(frozenset({"signer"}), "bureau", None),
    "director": Who(frozenset({"director"}), "bureau", None),
    "vendor": Who(frozenset({"vendor"}), "bureau", None),
    "office": Who(frozenset({"office"}), "bureau", "办公室"),
    "auditor": Who(frozenset({"auditor"}), "bureau", "办公室"),
    "staff1": Who(frozenset({"clerk"}), "institution", None),
}
LEVELS = ("first", "second", "sign", "final")
LEVEL_ROLE = {"first": "clerk", "second": "section_chief", "sign": "signer", "final": "director"}
AUTHOR, DRAFT_UNIT, DRAFT_SECTION = "clerk", "bureau", "就业促进科"


def sees(persona: str) -> bool:
    who = PEOPLE[persona]
    if who.roles & {"office", "auditor"}:
        return True
    if "vendor" in who.roles:
        return persona == AUTHOR
    return who.unit == DRAFT_UNIT


def may_approve(persona: str, level: str, decided: frozenset[str]) -> bool:
    """第八条 for one person at one level, given the levels they decided on any version of the draft."""
    who = PEOPLE[persona]
    return (sees(persona) and persona != AUTHOR and "vendor" not in who.roles
            and LEVEL_ROLE[level] in who.roles and who.unit == DRAFT_UNIT
            and (level != "second" or who.section == DRAFT_SECTION)
            and not decided - {level})


class Case(NamedTuple):
    level: str              # the level waiting for a decision
    decided: str | None     # the level this persona decided before (on this or an earlier version), if any

    @property
    def history(self) -> str:
        if self.decided is None:
            return "no earlier decision"
        earlier = LEVELS.index(self.decided) < LEVELS.index(self.level)
        return f"decided {self.decided} {'on this version' if earlier else 'of an earlier version'}"


def cases(persona: str) -> list[Case]:
    """Every level, with every history this persona can really have: none, or one level they may decide."""
    return [Case(level, decided) for level in LEVELS
            for decided in (None, *(d for d in LEVELS if may_approve(persona, d, frozenset())))]


def expected_status(persona: str, case: Case) -> int:
    if not sees(persona):
        return 404
    decided = frozenset({case.decided}) if case.decided else frozenset()
    return 201 if may_approve(persona, case.level, decided) else 403


@pytest.fixture
def wechat(bureau, office):
    return Account.objects.get(platform__name="微信公众号", unit=office.unit)


@pytest.fixture
def others(bureau):
    """One extra person per level, eligible there and never one of the personas: level -> Person."""
    unit = bureau["clerk"].unit
    section = Section.objects.get(unit=unit, name=DRAFT_SECTION)
    rows = {"first": ("clerk9", section, Role.CLERK), "second": ("chief9", section, Role.SECTION_CHIEF),
            "sign": ("signer9", None, Role.SIGNER), "final": ("director9", None, Role.DIRECTOR)}
    return {level: org.create_person(username=username, password=DEMO_PASSWORD, full_name=username, unit=unit,
                                     section=sec, roles=(role,), actor="测试",
                                     clearance_on=date(2026, 1, 5), trained_on=date(2026, 1, 6))
            for level, (username, sec, role) in rows.items()}


def _draft(author, account) -> Draft:
    draft = actions.create_draft(accounts=[account], title="2026年度高校毕业生就业补贴政策解读", importance="major",
                                 body="<p>符合条件的毕业生可申领一次性求职补贴。</p>", actor=author)
    actions.submit_draft(draft, actor=author)
    return draft


def _decide_up_to(draft, level: str, who) -> None:
    """Approve every level before ``level`` of the current version, each by who(level)."""
    for earlier in LEVELS[:LEVELS.index(level)]:
        actions.decide(draft, verdict="approve", actor=who(earlier))


def _draft_at(case: Case, person, author, account, others) -> Draft:
    draft = _draft(author, account)
    who = lambda level: person if level == case.decided else others[level]  # noqa: E731
    if case.decided and LEVELS.index(case.decided) >= LEVELS.index(case.level):
        # The persona decided a level of an earlier version; an edit sends the draft back to 初审.
        _decide_up_to(draft, case.decided, who)
        actions.decide(draft, verdict="approve", actor=person)
        actions.update_draft(draft, body="<p>符合条件的毕业生可于12月31日前申领一次性求职补贴。</p>", actor=author)
    _decide_up_to(draft, case.level, who)
    return Draft.objects.get(pk=draft.pk)  # the actions saved their own copy


def _api_approve(client, token: str, draft: Draft) -> int:
    return client.post(f"/api/v1/drafts/{draft.pk}/decisions", {"decision": "approve"},
                       content_type="application/json", headers={"Authorization": f"Bearer {token}"}).status_code


@pytest.mark.parametrize("persona", list(PEOPLE))
def test_who_may_approve_each_level_follows_the_rule_table_in_the_workflow_and_the_api(
        persona, bureau, others, wechat, client):
    person, author = bureau[persona], bureau[AUTHOR]
    token = issue_token(person, actor="测试")
    answers = {}
    for case in cases(persona):
        with transaction.atomic():  # each case on a fresh draft, rolled back afterwards
            draft = _draft_at(case, person, author, wechat, others)
            assert workflow.state_of(draft).stage == case.level
            refusal = workflow.allowed_actions(draft, person)["approve"]
            workflow_says = 201 if refusal is None else 404 if not workflow.can_view(draft, person) else 403
            if refusal is not None:
                assert refusal.code == "forbidden", (case, refusal)
            answers[case.level, case.history] = (workflow_says, _api_approve(client, token, draft))
            transaction.set_rollback(True)

    expected = {(case.level, case.history): (expected_status(persona, case),) * 2 for case in cases(persona)}
    assert answers == expected


def _approved(author, account, others) -> Draft:
    draft = _draft(author, account)
    _decide_up_to(draft, "final", others.__getitem__)
    actions.decide(draft, verdict="approve", actor=others["final"])
    return draft


STATES = {
    "draft": lambda author, account, others: actions.create_draft(
        accounts=[account], title="尚未送审的稿件", importance="major", actor=author),
    "returned": lambda author, account, others: actions.decide(
        _draft(author, account), verdict="return", comment="请核实补贴标准", actor=others["first"]).submission.draft,
    "approved": _approved,
    "published": lambda author, account, others: actions.record_publication(
        _approved(author, account, others), account=account, url="https://mp.weixin.qq.com/s/1", actor=author).draft,
}


@pytest.mark.parametrize("state", list(STATES))
def test_approving_a_draft_that_is_not_in_review_is_a_conflict_for_everyone_who_sees_it(
        state, bureau, others, wechat, client):
    draft = Draft.objects.get(pk=STATES[state](bureau[AUTHOR], wechat, others).pk)
    assert workflow.state_of(draft).status == state
    answers = {}
    for persona in PEOPLE:
        person = bureau[persona]
        refusal = workflow.allowed_actions(draft, person)["approve"]
        answers[persona] = (refusal.code, _api_approve(client, issue_token(person, actor="测试"), draft))

    assert answers == {p: ("conflict", 409) if sees(p) else ("forbidden", 404) for p in PEOPLE}

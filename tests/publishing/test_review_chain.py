"""The review chain's rules (第八条) through the real actions, with the demo bureau's people."""

import pytest

from govmedia.audit.events import EventType
from govmedia.audit.models import AuditEvent
from govmedia.publishing import actions, workflow
from govmedia.publishing.actions import PublishingError
from govmedia.publishing.models import Importance, Stage, Status
from govmedia.registry.models import Account


@pytest.fixture
def wechat(bureau, office):
    return Account.objects.get(platform__name="微信公众号", unit=office.unit)


def _draft(author, wechat, **fields):
    draft = actions.create_draft(accounts=[wechat], title="2026年度就业补贴申领指南", body="<p>符合条件的人员可申领。</p>",
                                 actor=author, **fields)
    actions.submit_draft(draft, actor=author)
    return draft


def _status(draft):
    draft.refresh_from_db()
    return workflow.state_of(draft)


def test_the_author_cannot_review_their_own_draft(clerk, wechat):
    draft = _draft(clerk, wechat)
    with pytest.raises(PublishingError) as refused:
        actions.decide(draft, verdict="approve", actor=clerk)
    assert refused.value.code == "forbidden" and "撰稿人不能审核自己的稿件" in refused.value.message


def test_a_normal_draft_passes_first_second_and_sign_then_is_approved(clerk, clerk2, chief, leader, wechat):
    draft = _draft(clerk, wechat)
    for person, stage in ((clerk2, Stage.FIRST), (chief, Stage.SECOND), (leader, Stage.SIGN)):
        assert _status(draft).stage == stage
        actions.decide(draft, verdict="approve", actor=person)
    assert _status(draft).status == Status.APPROVED
    types = list(AuditEvent.objects.filter(object_type="draft").order_by("seq").values_list("event_type", flat=True))
    assert types == [EventType.DRAFT_CREATED, EventType.DRAFT_SUBMITTED] + [EventType.REVIEW_APPROVED] * 3


def test_deputy_cannot_sign_what_they_reviewed(clerk, clerk2, deputy, wechat):
    draft = _draft(clerk, wechat)
    actions.decide(draft, verdict="approve", actor=clerk2)
    actions.decide(draft, verdict="approve", actor=deputy)  # 复审
    with pytest.raises(PublishingError) as refused:
        actions.decide(draft, verdict="approve", actor=deputy)  # 签发
    assert "同一人只能审核一个环节" in refused.value.message and "复审" in refused.value.message


def test_an_edit_after_two_approvals_needs_first_review_again(clerk, clerk2, chief, wechat):
    draft = _draft(clerk, wechat)
    actions.decide(draft, verdict="approve", actor=clerk2)
    actions.decide(draft, verdict="approve", actor=chief)
    assert _status(draft).stage == Stage.SIGN
    actions.update_draft(draft, body="<p>符合条件的人员可于12月底前申领。</p>", actor=chief)
    state = _status(draft)
    assert (state.status, state.stage, state.decisions) == (Status.IN_REVIEW, Stage.FIRST, ())


def test_a_major_draft_waits_for_the_director(clerk, clerk2, chief, leader, director, wechat):
    draft = _draft(clerk, wechat, importance=Importance.MAJOR)
    for person in (clerk2, chief, leader):
        actions.decide(draft, verdict="approve", actor=person)
    assert (_status(draft).status, _status(draft).stage) == (Status.IN_REVIEW, Stage.FINAL)
    actions.decide(draft, verdict="approve", actor=director)
    assert _status(draft).status == Status.APPROVED


def test_a_draft_with_an_id_number_cannot_be_signed_without_a_written_override(clerk, clerk2, chief, leader, wechat):
    draft = actions.create_draft(accounts=[wechat], title="认定名单公示", actor=clerk,
                                 body="<p>李明，身份证号320509198504120213。</p>")
    submission = actions.submit_draft(draft, actor=clerk)
    assert [f["rule"] for f in submission.blocking] == ["id_card"]
    actions.decide(draft, verdict="approve", actor=clerk2)
    actions.decide(draft, verdict="approve", actor=chief)
    with pytest.raises(PublishingError) as refused:
        actions.decide(draft, verdict="approve", actor=leader)
    assert refused.value.field == "override_reason" and "放行理由" in refused.value.message
    decision = actions.decide(draft, verdict="approve", actor=leader, override_reason="惩戒公示，依法须公开")
    assert decision.override_reason == "惩戒公示，依法须公开" and _status(draft).status == Status.APPROVED


def test_the_vendor_may_draft_but_never_decide(clerk, vendor, wechat):
    draft = _draft(clerk, wechat)
    refusal = workflow.allowed_actions(draft, vendor)["approve"]
    assert refusal is not None
    own = actions.create_draft(accounts=[wechat], title="外包撰写的稿件", actor=vendor)
    assert workflow.allowed_actions(own, vendor)["submit"] is None


def test_a_return_needs_a_comment_and_the_author_resubmits(clerk, clerk2, wechat):
    draft = _draft(clerk, wechat)
    with pytest.raises(PublishingError):
        actions.decide(draft, verdict="return", actor=clerk2)
    actions.decide(draft, verdict="return", actor=clerk2, comment="请补充申领材料清单")
    assert _status(draft).status == Status.RETURNED
    actions.update_draft(draft, body="<p>符合条件的人员可申领，材料清单见附件。</p>", actor=clerk)
    assert _status(draft).status == Status.DRAFT
    actions.submit_draft(draft, actor=clerk)
    assert _status(draft).stage == Stage.FIRST


# --- separation of writing and reviewing (严禁"自编自审自发"), and who is never a reviewer -----------------


def _cleared(person):
    from datetime import date

    person.clearance_on = person.trained_on = date(2026, 1, 5)
    person.save(update_fields=["clearance_on", "trained_on"])
    return person


def _grant(person, role, office):
    from govmedia.org import actions as org

    org.grant_role(_cleared(person), role, actor=office)
    person.__dict__.pop("roles", None)  # roles are cached per instance
    return person


def test_a_reviewer_who_rewrote_the_draft_in_review_cannot_review_it(clerk, clerk2, chief, deputy, leader, wechat):
    draft = _draft(clerk, wechat)
    actions.decide(draft, verdict="approve", actor=clerk2)
    actions.update_draft(draft, body="<p>符合条件的人员可于12月31日前申领。</p>", actor=chief)  # back to 初审
    actions.decide(draft, verdict="approve", actor=clerk2)

    with pytest.raises(PublishingError) as refused:
        actions.decide(draft, verdict="approve", actor=chief)
    assert refused.value.code == "forbidden" and "您修改过该稿件的内容" in refused.value.message
    actions.decide(draft, verdict="approve", actor=deputy)  # another 科室负责人 of the section reviews instead
    actions.decide(draft, verdict="approve", actor=leader)
    assert _status(draft).status == Status.APPROVED
    assert list(draft.editors.all()) == [chief]


def test_a_clerk_who_edited_someone_elses_draft_is_not_asked_to_review_it(clerk, clerk2, wechat):
    from govmedia.publishing import queries

    draft = actions.create_draft(accounts=[wechat], title="就业补贴指南", body="<p>初稿</p>", actor=clerk)
    actions.update_draft(draft, title="2026年就业补贴申领指南", actor=clerk2)
    actions.submit_draft(draft, actor=clerk)

    assert workflow.may_decide(draft, clerk2, Stage.FIRST) is not None
    assert not queries.waiting_for(clerk2).filter(pk=draft.pk).exists()  # the SQL rule agrees


def test_an_auditor_who_also_holds_a_review_role_still_cannot_decide(clerk, clerk2, chief, auditor, office, wechat):
    draft = _draft(clerk, wechat)
    actions.decide(draft, verdict="approve", actor=clerk2)
    actions.decide(draft, verdict="approve", actor=chief)
    _grant(auditor, "signer", office)
    auditor.unit, auditor.section = clerk.unit, None

    with pytest.raises(PublishingError) as refused:
        actions.decide(draft, verdict="approve", actor=auditor)
    assert "审计员只能查看" in refused.value.message


def test_a_vendor_who_also_holds_a_clerk_role_still_cannot_decide(clerk, vendor, office, wechat):
    draft = _draft(clerk, wechat)
    _grant(vendor, "clerk", office)
    vendor.unit = clerk.unit

    assert workflow.may_decide(draft, vendor, Stage.FIRST) == "外包人员不能参与审核（第二条、第八条）"


def test_second_review_belongs_to_a_chief_of_the_drafting_section(clerk, clerk2, office, wechat):
    from govmedia.org import actions as org
    from govmedia.org.models import Section

    other = Section.objects.get(unit=clerk.unit, name="社会保险科")
    stranger = org.create_person(username="sbchief", password="Demo@2026!x", full_name="社保科长", unit=clerk.unit,
                                 section=other, roles=("section_chief",), clearance_on=_date(), trained_on=_date(),
                                 actor=office)
    draft = _draft(clerk, wechat)
    actions.decide(draft, verdict="approve", actor=clerk2)

    assert workflow.may_decide(draft, stranger, Stage.SECOND) == "复审须由承办科室的科室负责人进行"


def test_a_person_of_another_unit_never_decides(clerk, outsider, wechat):
    draft = _draft(clerk, wechat)
    assert workflow.may_decide(draft, outsider, Stage.FIRST) == "初审须由本单位的信息员进行"


@pytest.mark.parametrize("change", ["title", "accounts"])
def test_changing_the_title_or_the_accounts_sends_an_approved_draft_back_to_first_review(change, clerk, clerk2, chief,
                                                                                       leader, wechat):
    draft = _draft(clerk, wechat)
    for person in (clerk2, chief, leader):
        actions.decide(draft, verdict="approve", actor=person)
    assert _status(draft).status == Status.APPROVED
    weibo = Account.objects.get(platform__name="新浪微博", unit=clerk.unit)

    if change == "title":
        actions.update_draft(draft, title="2026年度就业补贴申领指南（修订）", actor=clerk)
    else:
        actions.update_draft(draft, accounts=[wechat, weibo], actor=clerk)

    state = _status(draft)
    assert (state.status, state.stage, state.decisions) == (Status.IN_REVIEW, Stage.FIRST, ())


def test_a_decision_made_on_a_version_that_has_since_changed_is_refused(clerk, clerk2, wechat):
    draft = _draft(clerk, wechat)
    seen = draft.content_hash
    actions.update_draft(draft, body="<p>身份证号320584199001011237</p>", actor=clerk)

    with pytest.raises(PublishingError) as refused:
        actions.decide(draft, verdict="approve", actor=clerk2, stage="first", content_hash=seen)
    assert (refused.value.code, refused.value.field) == ("conflict", "content_hash")
    assert _status(draft).decisions == ()


def test_an_edit_in_review_that_names_another_unit_needs_its_coordination_note(clerk, wechat):
    draft = _draft(clerk, wechat)
    with pytest.raises(PublishingError) as refused:
        actions.update_draft(draft, other_units="区财政局", actor=clerk)
    assert refused.value.field == "coordination_note"
    draft.refresh_from_db()
    assert draft.other_units == "" and _status(draft).stage == Stage.FIRST  # nothing changed


def _date():
    from datetime import date

    return date(2026, 1, 5)

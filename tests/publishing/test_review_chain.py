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

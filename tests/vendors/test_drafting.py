"""第二条: a vendor's staff member drafts and operates only the accounts assigned to them, and never decides.

Proved through the real draft creation paths: publishing.actions.create_draft, the draft page and
POST /api/v1/drafts. Other people's drafting is unchanged.
"""

from __future__ import annotations

import pytest

from govmedia.audit.events import EventType
from govmedia.org import actions as org
from govmedia.org.models import Role
from govmedia.publishing import actions as publishing
from govmedia.publishing import notify, workflow
from govmedia.publishing.actions import PublishingError
from govmedia.publishing.models import Draft, Stage
from govmedia.vendors import access, actions
from govmedia.vendors.models import Assignment

UNASSIGNED = "外包人员只能为分配给本人的账号撰写稿件：新浪微博「吴江人社」未分配给吴晓（第二条）"


def test_an_assigned_vendor_drafts_for_their_account(vendor, wechat, audit):
    audit.mark()

    draft = publishing.create_draft(accounts=[wechat], title="外包撰写的政策解读", actor=vendor)

    assert list(draft.accounts.all()) == [wechat]
    assert audit.new() == [EventType.DRAFT_CREATED]


def test_a_draft_for_an_account_not_assigned_is_refused_in_chinese_and_nothing_is_stored(vendor, wechat, weibo,
                                                                                         audit):
    audit.mark()

    for accounts in ([weibo], [wechat, weibo]):
        with pytest.raises(PublishingError) as caught:
            publishing.create_draft(accounts=accounts, title="越权稿件", actor=vendor)
        assert (caught.value.message, caught.value.code, caught.value.field) == (UNASSIGNED, "forbidden", "accounts")

    assert not Draft.objects.exists()
    assert audit.new() == []


def test_the_api_refuses_a_vendor_draft_for_an_unassigned_account(api, vendor, wechat, weibo):
    as_vendor = api(vendor)

    refused = as_vendor.post("/drafts", {"accounts": [weibo.pk], "title": "越权稿件"})
    accepted = as_vendor.post("/drafts", {"accounts": [wechat.pk], "title": "外包撰写的政策解读"})

    assert refused.status_code == 403
    assert refused.json()["detail"] == UNASSIGNED
    assert accepted.status_code == 201
    assert list(Draft.objects.values_list("title", flat=True)) == ["外包撰写的政策解读"]


def test_the_draft_page_offers_a_vendor_only_their_assigned_accounts(signed_in, vendor, wechat, weibo):
    client = signed_in(vendor)

    page = client.get("/drafts/new/").content.decode()
    posted = client.post("/drafts/new/", {"title": "越权稿件", "body": "<p>正文</p>", "accounts": [weibo.pk],
                                          "kind": "original", "importance": "normal"})

    assert "微信公众号「吴江人社」" in page
    assert "新浪微博「吴江人社」" not in page and "抖音「吴江人社」" not in page
    assert posted.status_code == 200 and not Draft.objects.exists()  # not a choice: the form refuses it


def test_a_clerk_of_the_same_unit_still_drafts_for_every_account(clerk, weibo, wechat):
    assert access.accounts_operable_by(clerk) is None
    draft = publishing.create_draft(accounts=[weibo, wechat], title="本单位稿件", actor=clerk)
    assert draft.accounts.count() == 2


def test_an_account_taken_back_can_no_longer_be_drafted_for(office, vendor, wechat):
    actions.end_assignment(Assignment.objects.current().get(person=vendor, account=wechat), actor=office)

    with pytest.raises(PublishingError) as caught:
        publishing.create_draft(accounts=[wechat], title="收回后的稿件", actor=vendor)

    assert caught.value.message == "外包人员吴晓尚未分配任何账号，不能撰写稿件；请联系局办公室分配账号（第二条）"


def test_a_vendor_without_any_assignment_cannot_draft_and_sees_no_account(signed_in, new_vendor_person, wechat):
    person = new_vendor_person("newbie")

    with pytest.raises(PublishingError, match="尚未分配任何账号"):
        publishing.create_draft(accounts=[wechat], title="稿件", actor=person)
    page = signed_in(person).get("/drafts/new/")

    assert page.status_code == 403  # nothing to draft for: the page refuses, as it does for anyone without accounts


def test_a_clerk_editing_a_vendors_draft_cannot_add_an_account_the_vendor_was_not_assigned(vendor, clerk, wechat,
                                                                                          weibo):
    draft = publishing.create_draft(accounts=[wechat], title="外包稿件", actor=vendor)

    with pytest.raises(PublishingError) as caught:
        publishing.update_draft(draft, accounts=[wechat, weibo], actor=clerk)

    assert caught.value.message == UNASSIGNED
    assert list(draft.accounts.all()) == [wechat]


def test_an_assigned_vendor_never_decides_in_review_even_holding_a_reviewer_role(
        api, office, vendor, clerk, wechat):
    """The vendor is assigned to the very account; even given the 信息员 role by mistake, they cannot decide."""
    org.grant_role(vendor, Role.CLERK, actor=office)
    vendor = type(vendor).objects.get(pk=vendor.pk)  # roles are cached per instance
    draft = publishing.create_draft(accounts=[wechat], title="信息员撰写的稿件", actor=clerk)
    publishing.submit_draft(draft, actor=clerk)

    assert workflow.may_decide(draft, vendor, Stage.FIRST) == "外包人员不能参与审核（第二条、第八条）"
    assert workflow.allowed_actions(draft, vendor)["approve"] is not None
    assert vendor not in notify.reviewers_for(draft, Stage.FIRST)
    with pytest.raises(PublishingError):
        publishing.decide(draft, verdict="approve", actor=vendor)
    response = api(vendor).post(f"/drafts/{draft.pk}/decisions", {"decision": "approve"})
    assert response.status_code in (403, 404)
    assert not draft.submissions.get().decisions.exists()

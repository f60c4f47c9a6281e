"""第八条 through the JSON API: each "Done when" of issue 4, and the demo users walking the whole chain."""

from __future__ import annotations

import pytest

from govmedia.audit.events import EventType

ID_NUMBER_BODY = "<p>李明，身份证号320509198504120213。</p>"


def test_a_new_draft_reads_back_sanitised_and_waiting_to_be_submitted(api, clerk, clerk2, wechat):
    created = api(clerk).write(wechat, body='<p onclick="x()">申领指南<script>alert(1)</script></p>')

    assert created["id"] > 0
    assert (created["status"], created["stage"], created["stage_label"]) == ("draft", None, None)
    assert created["body"] == "<p>申领指南</p>"
    assert (created["accounts"], created["account_names"]) == ([wechat.pk], ["微信公众号「吴江人社」"])
    assert (created["author"], created["importance"], created["kind"]) == ("clerk", "normal", "original")
    assert (created["decisions"], created["findings"]) == ([], [])
    assert created["allowed_actions"]["submit"] is None
    assert created["allowed_actions"]["approve"] == "稿件草稿，当前没有待审环节"
    assert api(clerk2).read(created)["allowed_actions"]["submit"] is None  # a 信息员 of the unit may edit it too


def test_the_author_cannot_review_their_own_draft(api, clerk, wechat):
    author = api(clerk)
    draft = author.submit(author.write(wechat))

    response = author.post(f"/drafts/{draft['id']}/decisions", {"decision": "approve"})

    assert response.status_code == 403
    assert response.json() == {"detail": "撰稿人不能审核自己的稿件（严禁“自编自审自发”）", "field": None}
    assert author.read(draft)["allowed_actions"]["approve"] == "撰稿人不能审核自己的稿件（严禁“自编自审自发”）"


def test_deputy_cannot_sign_what_they_reviewed(api, clerk, clerk2, deputy, wechat):
    author, as_deputy = api(clerk), api(deputy)
    draft = author.submit(author.write(wechat))
    api(clerk2).approve(draft)
    as_deputy.approve(draft)  # 复审

    response = as_deputy.post(f"/drafts/{draft['id']}/decisions", {"decision": "approve"})  # 签发

    assert response.status_code == 403
    assert response.json()["detail"] == "同一人只能审核一个环节：您已参与本稿件的复审"
    assert as_deputy.read(draft)["stage"] == "sign"


def test_an_edit_after_two_approvals_needs_first_review_again(api, clerk, clerk2, chief, wechat):
    author, as_chief = api(clerk), api(chief)
    draft = author.submit(author.write(wechat))
    api(clerk2).approve(draft)
    as_chief.approve(draft)
    assert author.read(draft)["stage"] == "sign"

    response = as_chief.patch(f"/drafts/{draft['id']}", {"body": "<p>符合条件的人员可于12月底前申领。</p>"})

    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["stage"], body["stage_label"], body["decisions"]) == ("in_review", "first", "初审", [])
    assert body["body"] == "<p>符合条件的人员可于12月底前申领。</p>"
    assert body["content_hash"] != draft["content_hash"]


def test_a_major_draft_waits_for_the_director(api, clerk, clerk2, chief, leader, director, wechat):
    author = api(clerk)
    draft = author.submit(author.write(wechat, importance="major"))
    for person in (clerk2, chief, leader):
        api(person).approve(draft)

    waiting = author.read(draft)
    api(director).approve(draft)

    assert (waiting["status"], waiting["stage"], waiting["stage_label"]) == ("in_review", "final", "终审")
    assert author.read(draft)["status"] == "approved"


def test_a_draft_with_an_id_number_cannot_be_signed_without_a_written_override(api, clerk, clerk2, chief, leader,
                                                                                wechat):
    author, signer = api(clerk), api(leader)
    draft = author.submit(author.write(wechat, title="认定名单公示", body=ID_NUMBER_BODY))
    assert [(f["rule"], f["severity"]) for f in draft["findings"]] == [("id_card", "block")]
    api(clerk2).approve(draft)
    api(chief).approve(draft)

    refused = signer.post(f"/drafts/{draft['id']}/decisions", {"decision": "approve"})
    signed = signer.post(f"/drafts/{draft['id']}/decisions",
                         {"decision": "approve", "override_reason": "惩戒公示，依法须公开"})

    assert refused.status_code == 422
    assert refused.json()["field"] == "override_reason" and "放行理由" in refused.json()["detail"]
    assert signed.status_code == 201
    assert (signed.json()["stage"], signed.json()["override_reason"]) == ("sign", "惩戒公示，依法须公开")
    after = author.read(draft)
    assert (after["status"], after["overridden"]) == ("approved", True)


# The demo bureau's alternatives at 复审 and 签发: deputy holds both roles but may take only one level.
CHAINS = [(second, sign) for second in ("chief", "deputy") for sign in ("leader", "deputy") if second != sign]


@pytest.mark.parametrize(("second", "sign"), CHAINS, ids=[f"{a}-{b}" for a, b in CHAINS])
def test_the_demo_users_walk_a_major_draft_through_every_level(api, bureau, wechat, second, sign):
    author = api(bureau["clerk"])
    draft = author.submit(author.write(wechat, importance="major"))
    walk = [("first", "clerk2"), ("second", second), ("sign", sign), ("final", "director")]

    for stage, username in walk:
        assert author.read(draft)["stage"] == stage
        decided = api(bureau[username]).approve(draft, comment="同意")
        assert (decided["stage"], decided["decision"], decided["actor"]) == (stage, "approve", username)

    done = author.read(draft)
    assert done["status"] == "approved"
    assert [(d["stage"], d["actor"]) for d in done["decisions"]] == walk


def test_the_vendor_may_write_and_submit_but_never_decide(api, vendor, clerk, clerk2, wechat):
    as_vendor = api(vendor)
    own = as_vendor.submit(as_vendor.write(wechat, title="外包撰写的政策解读"))
    others = api(clerk).submit(api(clerk).write(wechat))

    on_own = as_vendor.post(f"/drafts/{own['id']}/decisions", {"decision": "approve"})
    on_others = as_vendor.post(f"/drafts/{others['id']}/decisions", {"decision": "approve"})

    assert (own["status"], own["stage"]) == ("in_review", "first")
    assert on_own.status_code == 403
    assert on_others.status_code == 404  # a vendor sees only their own drafts
    assert api(clerk2).read(own)["allowed_actions"]["approve"] is None  # the chain itself is open to the unit


def test_one_full_review_through_the_api_writes_exactly_these_audit_events(api, bureau, wechat, audit):
    author, first, second, sign = (api(bureau[name]) for name in ("clerk", "clerk2", "chief", "leader"))
    audit.mark()

    draft = author.write(wechat)
    author.submit(draft)
    first.post(f"/drafts/{draft['id']}/decisions", {"decision": "return", "comment": "请补充申领材料清单"})
    author.patch(f"/drafts/{draft['id']}", {"body": "<p>符合条件的人员可申领，材料清单见附件。</p>"})
    author.submit(draft)
    author.post(f"/drafts/{draft['id']}/decisions", {"decision": "approve"})  # refused: writes nothing
    for reviewer in (first, second, sign):
        reviewer.approve(draft)
    published = author.post(f"/drafts/{draft['id']}/publications",
                            {"account": wechat.pk, "url": "https://mp.weixin.qq.com/s/wjrs-2026-001"})

    assert published.status_code == 201
    assert author.read(draft)["status"] == "published"
    assert audit.new() == [
        EventType.DRAFT_CREATED, EventType.DRAFT_SUBMITTED, EventType.REVIEW_RETURNED, EventType.DRAFT_EDITED,
        EventType.DRAFT_SUBMITTED, EventType.REVIEW_APPROVED, EventType.REVIEW_APPROVED, EventType.REVIEW_APPROVED,
        EventType.PUBLICATION_RECORDED,
    ]

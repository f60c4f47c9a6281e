"""Every refusal of the drafts API: 401/403/404/409/422, each with a Chinese ``detail``, and none writes audit."""

from __future__ import annotations

from govmedia.publishing.models import Decision, Draft


def _decide(client, draft: dict, **body):
    return client.post(f"/drafts/{draft['id']}/decisions", {"decision": "approve", **body})


def test_deciding_a_draft_not_yet_submitted_is_a_conflict(api, clerk, clerk2, wechat, audit):
    draft = api(clerk).write(wechat)
    reviewer = api(clerk2)
    audit.mark()

    response = _decide(reviewer, draft)

    assert response.status_code == 409
    assert response.json() == {"detail": "稿件草稿，当前没有待审环节", "field": None}
    assert audit.new() == []


def test_deciding_an_approved_draft_again_is_a_conflict(api, clerk, clerk2, chief, leader, director, wechat):
    author = api(clerk)
    draft = author.submit(author.write(wechat))
    for person in (clerk2, chief, leader):
        api(person).approve(draft)

    response = _decide(api(director), draft)

    assert response.status_code == 409
    assert response.json()["detail"] == "稿件已通过，当前没有待审环节"


def test_deciding_a_level_someone_else_has_just_decided_is_a_conflict_not_a_decision_on_the_next(
        api, clerk, clerk2, chief, deputy, wechat):
    author = api(clerk)
    draft = author.submit(author.write(wechat))
    api(clerk2).approve(draft)
    api(chief).approve(draft, stage="second")

    late = _decide(api(deputy), draft, stage="second")  # deputy, also a 签发人, meant 复审

    assert late.status_code == 409
    assert late.json() == {"detail": "复审已由他人处理，请刷新后查看", "field": "stage"}
    assert list(Decision.objects.filter(submission__draft_id=draft["id"]).values_list("stage", flat=True)) == [
        "first", "second"]


def test_submitting_a_draft_already_in_review_is_a_conflict(api, clerk, wechat):
    author = api(clerk)
    draft = author.submit(author.write(wechat))

    response = author.post(f"/drafts/{draft['id']}/submit")

    assert response.status_code == 409
    assert response.json()["detail"] == "稿件审核中，无需送审"


def test_editing_a_published_draft_is_a_conflict(api, clerk, clerk2, chief, leader, wechat):
    author = api(clerk)
    draft = author.submit(author.write(wechat))
    for person in (clerk2, chief, leader):
        api(person).approve(draft)
    author.post(f"/drafts/{draft['id']}/publications", {"account": wechat.pk, "url": "https://mp.weixin.qq.com/s/1"})

    response = author.patch(f"/drafts/{draft['id']}", {"title": "更正后的标题"})

    assert response.status_code == 409
    assert response.json()["detail"] == "稿件已发布，不能再修改"


def test_a_return_without_a_comment_is_invalid(api, clerk, clerk2, wechat, audit):
    author = api(clerk)
    draft = author.submit(author.write(wechat))
    reviewer = api(clerk2)
    audit.mark()

    response = _decide(reviewer, draft, decision="return", comment="  ")

    assert response.status_code == 422
    assert response.json() == {"detail": "退回修改须填写意见", "field": "comment"}
    assert audit.new() == []


def test_a_decision_other_than_approve_or_return_is_invalid(api, clerk, clerk2, wechat):
    author = api(clerk)
    draft = author.submit(author.write(wechat))

    response = _decide(api(clerk2), draft, decision="maybe")

    assert response.status_code == 422
    assert response.json()["detail"] == "请求有误：审核结论（decision）：取值应为 approve、return"


def test_a_draft_without_a_title_is_invalid(api, clerk, wechat, audit):
    author = api(clerk)
    audit.mark()

    missing = author.post("/drafts", {"account": wechat.pk, "body": "<p>正文</p>"})
    blank = author.post("/drafts", {"account": wechat.pk, "title": "  "})

    assert (missing.status_code, blank.status_code) == (422, 422)
    assert missing.json()["detail"] == "请求有误：标题（title）：缺少此项"
    assert blank.json() == {"detail": "请填写标题", "field": "title"}
    assert Draft.objects.count() == 0 and audit.new() == []


def test_bad_fields_are_named_in_chinese(api, clerk, wechat):
    response = api(clerk).post("/drafts", {"account": "微信", "title": "标题", "importance": "urgent",
                                           "source_url": "ftp://example.com/a"})

    assert response.status_code == 422
    assert response.json()["detail"] == (
        "请求有误：账号（account）：应为整数；重要程度（importance）：取值应为 normal、major；"
        "原文链接（source_url）：链接格式不正确，应以 http:// 或 https:// 开头")


def test_a_reprint_must_name_its_source_and_original_title(api, clerk, wechat):
    response = api(clerk).post("/drafts", {"account": wechat.pk, "title": "转载标题", "kind": "reprint"})

    assert response.status_code == 422
    assert response.json() == {"detail": "转载须注明来源和原标题（第七条）", "field": "source_name"}


def test_a_draft_without_an_account_or_with_an_unknown_one_is_invalid(api, clerk):
    author = api(clerk)

    none = author.post("/drafts", {"title": "标题"})
    unknown = author.post("/drafts", {"accounts": [999999], "title": "标题"})

    assert none.json() == {"detail": "请选择至少一个发布账号", "field": "accounts"}
    assert unknown.json() == {"detail": "账号（编号 999999）不存在", "field": "accounts"}
    assert (none.status_code, unknown.status_code) == (422, 422)


def test_a_draft_naming_other_units_cannot_be_submitted_without_a_coordination_note(api, clerk, wechat):
    author = api(clerk)
    draft = author.write(wechat, other_units="区医保局")

    response = author.post(f"/drafts/{draft['id']}/submit")

    assert response.status_code == 422
    assert response.json()["field"] == "coordination_note" and "第十一条" in response.json()["detail"]


def test_writing_for_another_units_account_is_forbidden(api, outsider, wechat):
    response = api(outsider).post("/drafts", {"account": wechat.pk, "title": "标题"})

    assert response.status_code == 403
    assert response.json() == {"detail": "您只能为本单位的账号撰写稿件", "field": "accounts"}


def test_the_auditor_reads_every_draft_but_may_not_write_edit_or_decide(api, auditor, clerk, wechat):
    draft = api(clerk).submit(api(clerk).write(wechat))
    as_auditor = api(auditor)

    read = as_auditor.get(f"/drafts/{draft['id']}")
    written = as_auditor.post("/drafts", {"account": wechat.pk, "title": "标题"})
    edited = as_auditor.patch(f"/drafts/{draft['id']}", {"title": "改"})
    decided = _decide(as_auditor, draft)

    assert read.status_code == 200
    assert (written.status_code, edited.status_code, decided.status_code) == (403, 403, 403)


def test_a_draft_of_another_unit_is_not_found(api, clerk, outsider, inspection_account):
    draft = api(outsider).write(inspection_account)
    as_clerk = api(clerk)

    assert as_clerk.get(f"/drafts/{draft['id']}").status_code == 404
    assert as_clerk.patch(f"/drafts/{draft['id']}", {"title": "改"}).json() == {"detail": "未找到"}
    assert as_clerk.post(f"/drafts/{draft['id']}/submit").status_code == 404
    assert _decide(as_clerk, draft).status_code == 404


def test_without_a_token_nothing_is_answered(api, clerk, wechat):
    draft = api(clerk).write(wechat)
    anonymous = api()

    assert anonymous.get("/drafts").status_code == 401
    assert anonymous.get(f"/drafts/{draft['id']}").status_code == 401
    assert anonymous.post("/drafts", {"account": wechat.pk, "title": "标题"}).status_code == 401

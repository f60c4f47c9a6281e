"""The review chain (第八条) through its real pages: what each persona sees, what a POST may do, and the lists."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from govmedia import policy
from govmedia.publishing import actions, queries, workflow
from govmedia.publishing.models import Decision, Draft, Importance, Notification, Publication, Stage, Status
from govmedia.registry.models import Account

BODY = "<p>符合条件的人员可申领。</p><p>申领时间为每年12月。</p>"
ID_BODY = "<p>经审核，以下人员符合条件。</p><p>李明，身份证号320509198504120213。</p>"


@pytest.fixture
def as_person(client, signed_in):
    """Sign out whoever is signed in, then sign this person in through the real page."""

    def switch(person):
        client.post("/logout/")
        return signed_in(person)

    return switch


@pytest.fixture
def wechat(bureau, office):
    return Account.objects.get(platform__name="微信公众号", unit=office.unit)


@pytest.fixture
def weibo(bureau, office):
    return Account.objects.get(platform__name="新浪微博", unit=office.unit)


def _draft(author, wechat, *, submit=True, body=BODY, title="2026年度就业补贴申领指南", **fields):
    draft = actions.create_draft(accounts=[wechat], title=title, body=body, actor=author, **fields)
    if submit:
        actions.submit_draft(draft, actor=author)
    return draft


def _approve(draft, *people, **extra):
    for person in people:
        actions.decide(draft, verdict="approve", actor=person, **extra)


def _page(client, draft):
    response = client.get(f"/drafts/{draft.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def _state(draft):
    draft.refresh_from_db()
    return workflow.state_of(draft)


DECISION_FORM = 'id="decision-form"'


# --- Done when: the author cannot review -------------------------------------------------------------------


def test_the_author_sees_no_decision_buttons_and_a_forged_approval_is_refused_with_the_reason(signed_in, clerk,
                                                                                              wechat):
    draft = _draft(clerk, wechat)
    client = signed_in(clerk)

    page = _page(client, draft)
    assert DECISION_FORM not in page and 'value="approve"' not in page
    assert "撰稿人不能审核自己的稿件" in page  # the reason is shown, not just a missing button

    response = client.post(f"/drafts/{draft.pk}/decide/", {"decision": "approve"})
    assert response.status_code == 403
    assert "撰稿人不能审核自己的稿件（严禁“自编自审自发”）" in response.content.decode()
    assert not Decision.objects.filter(submission__draft=draft).exists()


def test_the_first_reviewer_sees_the_decision_form_and_approves_through_it(signed_in, clerk, clerk2, wechat):
    draft = _draft(clerk, wechat)
    client = signed_in(clerk2)
    assert DECISION_FORM in _page(client, draft)

    response = client.post(f"/drafts/{draft.pk}/decide/", {"decision": "approve", "comment": "内容准确"}, follow=True)

    assert "已同意（初审）" in response.content.decode()
    decision = Decision.objects.get(submission__draft=draft)
    assert (decision.stage, decision.actor, decision.comment) == (Stage.FIRST, clerk2, "内容准确")
    assert _state(draft).stage == Stage.SECOND


def test_a_return_without_a_comment_is_refused_on_the_comment_field(signed_in, clerk, clerk2, wechat):
    draft = _draft(clerk, wechat)
    client = signed_in(clerk2)

    response = client.post(f"/drafts/{draft.pk}/decide/", {"decision": "return", "comment": " "})

    assert response.status_code == 200
    assert response.context["decision_form"].errors == {"comment": ["退回修改须填写意见"]}
    assert _state(draft).status == Status.IN_REVIEW


# --- Done when: deputy cannot sign what they reviewed ----------------------------------------------------------


def test_deputy_who_did_the_second_review_sees_no_sign_button_and_cannot_post_one(signed_in, clerk, clerk2, deputy,
                                                                                  wechat):
    draft = _draft(clerk, wechat)
    _approve(draft, clerk2, deputy)  # 初审, 复审 by deputy
    client = signed_in(deputy)

    page = _page(client, draft)
    assert DECISION_FORM not in page
    assert "同一人只能审核一个环节：您已参与本稿件的复审" in page

    response = client.post(f"/drafts/{draft.pk}/decide/", {"decision": "approve"})
    assert response.status_code == 403
    assert "同一人只能审核一个环节" in response.content.decode()
    assert _state(draft).stage == Stage.SIGN


def test_the_vendor_never_sees_a_decision_form_even_on_a_draft_of_their_unit(signed_in, clerk, vendor, wechat):
    draft = _draft(vendor, wechat)
    client = signed_in(vendor)
    page = _page(client, draft)
    assert DECISION_FORM not in page
    other = _draft(clerk, wechat)
    assert client.get(f"/drafts/{other.pk}/").status_code == 404  # 外包人员 sees only their own drafts


def test_a_person_of_another_unit_gets_not_found(signed_in, clerk, outsider, wechat):
    draft = _draft(clerk, wechat)
    client = signed_in(outsider)
    assert client.get(f"/drafts/{draft.pk}/").status_code == 404
    assert client.post(f"/drafts/{draft.pk}/decide/", {"decision": "approve"}).status_code == 404
    assert client.get(f"/drafts/{draft.pk}/register.docx").status_code == 404


# --- Done when: an edit after two approvals needs 初审 again, and the reviewer sees the difference -----------------


def test_an_edit_after_two_approvals_sends_the_draft_back_to_first_review_and_the_reviewer_sees_the_difference(
        signed_in, as_person, clerk, clerk2, chief, wechat):
    draft = _draft(clerk, wechat)
    _approve(draft, clerk2, chief)
    client = signed_in(chief)
    edit = client.get(f"/drafts/{draft.pk}/edit/").content.decode()
    assert 'id="restart-warning"' in edit

    response = client.post(f"/drafts/{draft.pk}/edit/", {
        "title": draft.title, "body": "<p>符合条件的人员可申领。</p><p>申领时间为每年11月底前。</p>",
        "accounts": [wechat.pk], "kind": "original", "importance": "normal", "save": "1",
    }, follow=True)

    assert "已重新送审，须从初审开始重新审核" in response.content.decode()
    state = _state(draft)
    assert (state.status, state.stage, state.decisions) == (Status.IN_REVIEW, Stage.FIRST, ())
    page = _page(as_person(clerk2), draft)
    assert DECISION_FORM in page
    assert 'id="diff"' in page and "此前的版本已通过初审、复审" in page
    assert "申领时间为每年<del>12月</del><ins>11月底前</ins>。" in page


# --- Done when: a major draft waits for the director -------------------------------------------------------------


def test_a_major_draft_waits_for_the_director_after_signing(signed_in, as_person, clerk, clerk2, chief, leader,
                                                            director, wechat):
    draft = _draft(clerk, wechat, importance=Importance.MAJOR)
    _approve(draft, clerk2, chief, leader)

    leader_page = _page(signed_in(leader), draft)
    assert "待终审" in leader_page and DECISION_FORM not in leader_page
    assert 'class="list-group-item chain-final list-group-item-warning"' in leader_page
    director_client = as_person(director)
    assert DECISION_FORM in _page(director_client, draft)
    director_client.post(f"/drafts/{draft.pk}/decide/", {"decision": "approve"})
    assert _state(draft).status == Status.APPROVED


# --- Done when: an ID number cannot be signed without a written override -------------------------------------------


def test_an_id_number_is_highlighted_in_its_paragraph_for_the_reviewer(signed_in, clerk, clerk2, wechat):
    draft = _draft(clerk, wechat, body=ID_BODY, title="认定名单公示")
    response = signed_in(clerk2).get(f"/drafts/{draft.pk}/")
    page = response.content.decode()
    second = next(p for p in response.context["paragraphs"] if p.where == "正文第2段")
    assert second.marked == 1
    assert '<mark class="gm-block"' in str(second.html) and ">320509198504120213</mark>" in str(second.html)
    assert 'data-where="正文第2段">李明，身份证号<mark class="gm-block"' in page


def test_a_draft_with_an_id_number_cannot_be_signed_without_an_override_and_the_override_is_listed(
        signed_in, as_person, clerk, clerk2, chief, leader, office, wechat):
    draft = _draft(clerk, wechat, body=ID_BODY, title="认定名单公示")
    _approve(draft, clerk2, chief)
    client = signed_in(leader)
    assert 'id="override-warning"' in _page(client, draft)

    refused = client.post(f"/drafts/{draft.pk}/decide/", {"decision": "approve", "comment": "同意"})
    assert refused.status_code == 200
    assert "签发须填写放行理由" in refused.context["decision_form"].errors["override_reason"][0]
    assert _state(draft).stage == Stage.SIGN

    client.post(f"/drafts/{draft.pk}/decide/", {"decision": "approve", "override_reason": "惩戒公示，依法须公开"})
    assert _state(draft).status == Status.APPROVED
    assert 'id="override-flag"' in _page(client, draft)
    overrides = as_person(office).get("/overrides/")
    page = overrides.content.decode()
    assert [d.submission.draft for d in overrides.context["page"]] == [draft]
    assert "惩戒公示，依法须公开" in page and "刘强" in page and "认定名单公示" in page
    assert "含公民身份号码，须去标识化处理（第十一条）" in page  # the blocking finding


def test_only_the_office_and_the_auditor_see_the_override_page(signed_in, as_person, leader, auditor):
    assert signed_in(leader).get("/overrides/").status_code == 403
    assert as_person(auditor).get("/overrides/").status_code == 200


# --- The named questions behind the lists agree with the workflow ------------------------------------------------


@pytest.fixture
def every_state(bureau, clerk, clerk2, chief, deputy, leader, director, vendor, outsider, wechat):
    """Drafts in every state the chain can reach, by several authors, including one of another unit."""
    def approved_by(draft, *people):
        _approve(draft, *people)
        return draft

    drafts = {
        "unsubmitted": _draft(clerk, wechat, submit=False),
        "first": _draft(clerk, wechat),
        "second": approved_by(_draft(clerk, wechat), clerk2),
        "sign after chief": approved_by(_draft(clerk, wechat), clerk2, chief),
        "sign after deputy": approved_by(_draft(clerk, wechat), clerk2, deputy),
        "final": approved_by(_draft(clerk, wechat, importance=Importance.MAJOR), clerk2, chief, leader),
        "approved": approved_by(_draft(clerk, wechat), clerk2, chief, leader),
        "by clerk2": _draft(clerk2, wechat),
        "by the vendor": _draft(vendor, wechat),
        "by the leader (no section)": approved_by(_draft(leader, wechat), clerk),
        "of an institution": _draft(outsider, Account.objects.get(name="吴江劳动监察")),
    }
    returned = _draft(clerk, wechat)
    actions.decide(returned, verdict="return", comment="请核实补贴标准", actor=clerk2)
    drafts["returned"] = returned
    edited = approved_by(_draft(clerk, wechat), clerk2, chief)
    actions.update_draft(edited, body="<p>改后的正文。</p>", actor=chief)
    drafts["edited after two approvals"] = edited
    published = approved_by(_draft(clerk, wechat), clerk2, chief, leader)
    actions.record_publication(published, account=wechat, url="https://mp.weixin.qq.com/s/1", actor=clerk)
    drafts["published"] = published
    return {name: Draft.objects.get(pk=d.pk) for name, d in drafts.items()}


def test_the_listed_state_of_every_draft_is_the_workflows_state(every_state):
    annotated = {d.pk: queries.listed_state(d) for d in queries.with_state(Draft.objects.all())}
    expected = {}
    for draft in every_state.values():
        state = workflow.state_of(draft)
        expected[draft.pk] = (state.status, state.stage)
    assert annotated == expected
    assert {s for s, _ in expected.values()} == set(Status)  # every status is covered


def test_waiting_for_and_visible_drafts_agree_with_the_workflow_for_every_persona(every_state, bureau):
    drafts = list(every_state.values())
    for person in bureau.values():
        waiting = {d.pk for d in queries.waiting_for(person)}
        may_decide = {d.pk for d in drafts if workflow.allowed_actions(d, person)["approve"] is None}
        assert waiting == may_decide, person.username
        assert {d.pk for d in queries.visible_drafts(person)} == {d.pk for d in drafts
                                                                   if workflow.can_view(d, person)}, person.username
    names = {d.pk: name for name, d in every_state.items()}
    assert {names[d.pk] for d in queries.waiting_for(bureau["deputy"])} == {
        "second", "sign after chief", "by the leader (no section)"}  # not "sign after deputy": one level each


# --- 待办 on the home page --------------------------------------------------------------------------------------


def test_the_todo_card_lists_each_personas_own_work(as_person, clerk, clerk2, chief, deputy, leader, office,
                                                    outsider, wechat):
    at_first = _draft(clerk, wechat, title="待初审的稿件")
    at_second = _draft(clerk, wechat, title="待复审的稿件")
    _approve(at_second, clerk2)
    returned = _draft(clerk, wechat, title="被退回的稿件")
    actions.decide(returned, verdict="return", comment="请补充材料清单", actor=clerk2)
    directive = actions.create_directive(title="人社部重要信息", source="人力资源和社会保障部",
                                         received_at=timezone.now(), accounts=[wechat], actor=office)

    def todo(person):
        context = as_person(person).get("/").context
        return ([d.title for d, _ in context["todo_waiting"]], [d.title for d in context["todo_returned"]],
                [item["directive"] for item in context["todo_directives"]])

    assert todo(clerk) == ([], ["被退回的稿件"], [directive])
    assert todo(clerk2) == (["待初审的稿件"], [], [directive])
    assert todo(chief) == (["待复审的稿件"], [], [directive])
    assert todo(deputy) == (["待复审的稿件"], [], [directive])
    assert todo(leader) == ([], [], [directive])
    assert todo(outsider) == ([], [], [])
    page = as_person(clerk2).get("/").content.decode()
    assert f'href="/drafts/{at_first.pk}/"' in page and "待我审核（1）" in page


# --- Lists ------------------------------------------------------------------------------------------------------


def _queries_for(client, path: str) -> tuple[int, object]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured), response


def test_the_draft_list_runs_the_same_queries_for_36_drafts_as_for_3(signed_in, office, clerk, clerk2, chief, wechat,
                                                                      weibo):
    def add(start, stop):
        for i in range(start, stop):
            draft = _draft(clerk, wechat if i % 2 else weibo, title=f"稿件{i:02d}", submit=i % 3 != 0)
            if i % 3 == 1:
                _approve(draft, clerk2, chief)

    client = signed_in(office)
    add(0, 3)
    few, _ = _queries_for(client, "/drafts/?tab=all&sort=title")
    add(3, 36)
    many, response = _queries_for(client, "/drafts/?tab=all&sort=title")

    assert many == few  # no query per row
    rows = response.context["rows"]
    assert len(rows) == 30 and response.context["page"].paginator.count == 36
    assert [d.title for d, _, _ in rows[:2]] == ["稿件00", "稿件01"]
    assert rows[1][1:] == (Status.IN_REVIEW, Stage.SIGN)


def test_the_draft_list_filters_by_status_importance_and_account(signed_in, clerk, clerk2, wechat, weibo):
    _draft(clerk, wechat, title="微信待审")
    _draft(clerk, weibo, title="微博重要", importance=Importance.MAJOR)
    _draft(clerk, weibo, title="微博草稿", submit=False)
    client = signed_in(clerk2)

    def titles(query):
        return sorted(d.title for d, _, _ in client.get(f"/drafts/?{query}").context["rows"])

    assert titles("tab=waiting") == ["微信待审", "微博重要"]
    assert titles("tab=all&status=draft") == ["微博草稿"]
    assert titles("tab=all&importance=major") == ["微博重要"]
    assert titles(f"tab=all&account={weibo.pk}") == ["微博草稿", "微博重要"]
    assert titles("tab=mine") == []


# --- Writing a draft through the page ------------------------------------------------------------------------------


def _form(wechat, **overrides):
    return {"title": "2026年度就业补贴申领指南", "body": BODY, "accounts": [wechat.pk], "kind": "original",
            "importance": "normal", **overrides}


def _png() -> bytes:
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff"))
            + chunk(b"IEND", b""))


def test_a_clerk_writes_rich_text_with_an_attachment_and_submits_it_sanitised(signed_in, clerk, wechat):
    client = signed_in(clerk)
    assert 'data-editor-for="id_body"' in client.get("/drafts/new/").content.decode()
    body = ('<p onclick="steal()">符合条件的人员<strong>可申领</strong>。<script>alert(1)</script></p>'
            '<h2 style="color:red">申领材料</h2><ul><li>身份证明</li></ul><p><a href="javascript:alert(1)">链接</a></p>')
    photo = SimpleUploadedFile("现场照片.png", _png(), content_type="image/png")

    response = client.post("/drafts/new/", _form(wechat, body=body, attachments=[photo], submit="1"), follow=True)

    draft = Draft.objects.get()
    assert response.redirect_chain[-1][0] == f"/drafts/{draft.pk}/"
    assert "稿件已送审，等待初审。" in response.content.decode()
    assert draft.body == ("<p>符合条件的人员<strong>可申领</strong>。</p><h2>申领材料</h2><ul><li>身份证明</li></ul>"
                          '<p><a rel="noopener noreferrer">链接</a></p>')
    assert list(draft.accounts.all()) == [wechat]
    assert [a.name for a in draft.attachments.all()] == ["现场照片.png"]
    assert _state(draft).stage == Stage.FIRST
    assert _state(draft).submission.content_hash == draft.content_hash  # the attachment is in the submitted version


def test_an_attachment_of_a_refused_type_leaves_nothing_behind(signed_in, clerk, wechat):
    client = signed_in(clerk)
    program = SimpleUploadedFile("安装包.exe", b"MZ\x90\x00", content_type="application/octet-stream")

    response = client.post("/drafts/new/", _form(wechat, attachments=[program], submit="1"))

    assert response.status_code == 200
    assert response.context["form"].errors["attachments"] == ["附件「安装包.exe」类型不支持（支持 .docx .xlsx .pdf 和图片）"]
    assert not Draft.objects.exists()


def test_an_attachment_over_the_screening_size_limit_is_refused_and_leaves_nothing_behind(signed_in, clerk, wechat):
    client = signed_in(clerk)
    limit = policy.SCREEN_MAX_FILE_BYTES
    too_big = SimpleUploadedFile("政策汇编.pdf", b"%PDF-1.4\n" + b"0" * (limit + 1 - 9), content_type="application/pdf")

    response = client.post("/drafts/new/", _form(wechat, attachments=[too_big], submit="1"))

    assert too_big.size == limit + 1
    assert response.context["form"].errors["attachments"] == [
        f"附件「政策汇编.pdf」过大（上限{limit // (1024 * 1024)}MB）"]
    assert not Draft.objects.exists()


def test_a_draft_naming_another_unit_cannot_be_submitted_without_a_coordination_note(signed_in, clerk, wechat):
    response = signed_in(clerk).post("/drafts/new/", _form(wechat, other_units="区税务局", submit="1"))

    assert response.context["form"].errors["coordination_note"] == [
        "稿件涉及其他单位工作内容，须先沟通协调并填写协调情况（第十一条）"]
    assert not Draft.objects.exists()


def test_a_reprint_needs_its_source_and_shows_the_changed_title_beside_the_original(signed_in, clerk, clerk2, wechat):
    client = signed_in(clerk)
    refused = client.post("/drafts/new/", _form(wechat, kind="reprint"))
    assert refused.context["form"].errors["source_name"] == ["转载须注明来源和原标题（第七条）"]

    client.post("/drafts/new/", _form(wechat, kind="reprint", title="2026年就业补贴政策来了",
                                      original_title="人社部发布2026年就业补贴政策", source_name="人力资源和社会保障部",
                                      submit="1"))

    page = _page(client, Draft.objects.get())
    assert '<dd class="col-sm-10" id="original-title"><del>人社部发布</del>2026年就业补贴政策</dd>' in page
    assert '<dd class="col-sm-10 mb-0" id="current-title">2026年就业补贴政策<ins>来了</ins></dd>' in page


# --- After approval --------------------------------------------------------------------------------------------------


def test_publication_is_recorded_per_account_until_every_account_is_done(signed_in, clerk, clerk2, chief, leader,
                                                                         wechat, weibo):
    draft = actions.create_draft(accounts=[wechat, weibo], title="就业补贴申领指南", body=BODY, actor=clerk)
    actions.submit_draft(draft, actor=clerk)
    client = signed_in(clerk)
    assert f'action="/drafts/{draft.pk}/publish/"' not in _page(client, draft)  # not approved yet
    _approve(draft, clerk2, chief, leader)

    client.post(f"/drafts/{draft.pk}/publish/", {"account": wechat.pk, "url": "https://mp.weixin.qq.com/s/abc"})
    assert _state(draft).status == Status.PUBLISHED
    remaining = client.get(f"/drafts/{draft.pk}/").context["publication_form"].fields["account"].queryset
    assert list(remaining) == [weibo]  # the other account remains; 微信 is done
    client.post(f"/drafts/{draft.pk}/publish/", {"account": weibo.pk, "failure_reason": "平台审核未通过"})

    rows = {(p.account, p.url, p.failure_reason, p.published_at is not None) for p in Publication.objects.all()}
    assert rows == {(wechat, "https://mp.weixin.qq.com/s/abc", "", True), (weibo, "", "平台审核未通过", False)}


def test_publishing_a_draft_still_in_review_is_refused_as_a_conflict(signed_in, clerk, wechat):
    draft = _draft(clerk, wechat)
    response = signed_in(clerk).post(f"/drafts/{draft.pk}/publish/", {"account": wechat.pk, "url": "https://a.cn/1"})
    assert response.status_code == 409
    assert "只有审核通过的稿件才能登记发布" in response.content.decode()
    assert not Publication.objects.exists()


def test_the_register_of_a_signed_draft_downloads_with_every_levels_reviewer(signed_in, clerk, clerk2, chief, leader,
                                                                             wechat):
    import docx

    draft = _draft(clerk, wechat)
    _approve(draft, clerk2, chief, leader)
    response = signed_in(clerk).get(f"/drafts/{draft.pk}/register.docx")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    for reviewer in ("赵敏", "张伟", "刘强"):
        assert reviewer in text


# --- Reprint directives ----------------------------------------------------------------------------------------------


def test_the_office_issues_a_directive_and_each_account_is_due_then_overdue_then_done(as_person, office, clerk,
                                                                                      clerk2, chief, leader, wechat,
                                                                                      weibo):
    received = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
    with time_machine.travel(received, tick=False):
        client = as_person(office)
        assert as_person(office).get("/directives/new/").status_code == 200
        response = client.post("/directives/new/", {
            "title": "人社部：进一步做好高校毕业生就业工作", "source": "人力资源和社会保障部",
            "received_at": "2026-11-27T17:00", "accounts": [wechat.pk, weibo.pk]}, follow=True)
        directive = response.context["directive"]
        assert directive.due_at == received + timedelta(hours=24)  # 17:00 Shanghai is 09:00 UTC
        assert "须在11月28日17:00前转载" in response.content.decode()

    with time_machine.travel(received + timedelta(hours=24), tick=False):  # the deadline itself is still in time
        home = as_person(clerk).get("/").context
        assert [(i["account"], i["status"]) for i in home["todo_directives"]] == [(wechat, "due"), (weibo, "due")]

    with time_machine.travel(received + timedelta(hours=24, seconds=1), tick=False):
        draft = actions.create_draft(accounts=[wechat], title=directive.title, kind="reprint", actor=clerk,
                                     source_name=directive.source, original_title=directive.title,
                                     directive=directive)
        actions.submit_draft(draft, actor=clerk)
        _approve(draft, clerk2, chief, leader)
        actions.record_publication(draft, account=wechat, url="https://mp.weixin.qq.com/s/r", actor=clerk)
        page = as_person(clerk).get(f"/directives/{directive.pk}/")
        assert [(r["account"], r["status"]) for r in page.context["rows"]] == [(wechat, "done_late"), (weibo, "overdue")]
        assert '<tr class="reprint-overdue">' in page.content.decode()
        listed = as_person(office).get("/directives/").context["rows"]
        assert [(d.accounts_done, d.accounts_total, overdue) for d, overdue in listed] == [(1, 2, True)]


def test_only_the_office_issues_directives(signed_in, clerk):
    assert signed_in(clerk).get("/directives/new/").status_code == 403


# --- Notifications -------------------------------------------------------------------------------------------------


def test_the_next_reviewer_gets_a_badge_and_opening_the_notification_marks_it_read(signed_in, clerk, clerk2, wechat):
    draft = _draft(clerk, wechat)
    client = signed_in(clerk2)
    page = client.get("/drafts/").content.decode()
    assert '<span class="position-absolute top-0 start-100 translate-middle badge rounded-pill text-bg-warning" ' \
           'id="unread-count">1</span>' in page
    notification = Notification.objects.get(person=clerk2)
    assert notification.text == f"待初审：《{draft.title}》"

    response = client.post("/notifications/read/", {"id": notification.pk})

    assert response.status_code == 302 and response["Location"] == f"/drafts/{draft.pk}/"
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert 'id="unread-count"' not in client.get("/drafts/").content.decode()


def test_marking_all_notifications_read_leaves_other_peoples_unread(signed_in, clerk, clerk2, chief, deputy, wechat):
    draft = _draft(clerk, wechat)
    _approve(draft, clerk2)  # chief and deputy are told 复审 is waiting
    client = signed_in(chief)
    assert client.get("/notifications/").status_code == 200

    client.post("/notifications/read/")

    assert not queries.unread_notifications(chief).exists()
    assert queries.unread_notifications(deputy).count() == 1


def test_the_home_page_todo_card_runs_the_same_queries_for_24_drafts_and_directives_as_for_12(signed_in, clerk, clerk2,
                                                                                               wechat, office):
    def add(start, stop):
        for i in range(start, stop):
            _draft(clerk, wechat, title=f"待初审{i:02d}")
            actions.create_directive(title=f"转载通知{i:02d}", source="人力资源和社会保障部",
                                     received_at=timezone.now(), accounts=[wechat], actor=office)

    client = signed_in(clerk2)
    add(0, 12)  # enough that every list on the page is full (the bell counts once it shows its most)
    few, _ = _queries_for(client, "/")
    add(12, 24)
    many, response = _queries_for(client, "/")

    assert many == few  # no query per draft or directive
    assert len(response.context["todo_waiting"]) == len(response.context["todo_directives"]) == 10
    assert response.context["todo_waiting_more"] and response.context["todo_directives_count"] == 24
    assert "待我审核（10+）" in response.content.decode()


def test_a_reprint_written_from_a_directive_is_filled_in_and_tied_to_it(signed_in, office, clerk, wechat, weibo):
    directive = actions.create_directive(title="人社部重要信息", source="人力资源和社会保障部",
                                         url="https://www.mohrss.gov.cn/a.html", received_at=timezone.now(),
                                         accounts=[wechat, weibo], actor=office)
    client = signed_in(clerk)
    form = client.get(f"/drafts/new/?directive={directive.pk}").context["form"]
    assert {k: form.initial[k] for k in ("kind", "title", "original_title", "source_name", "directive")} == {
        "kind": "reprint", "title": "人社部重要信息", "original_title": "人社部重要信息",
        "source_name": "人力资源和社会保障部", "directive": directive.pk}
    assert sorted(form.initial["accounts"]) == sorted([wechat.pk, weibo.pk])

    client.post("/drafts/new/", _form(wechat, kind="reprint", title="人社部重要信息", original_title="人社部重要信息",
                                      source_name="人力资源和社会保障部", directive=directive.pk))

    assert Draft.objects.get().directive == directive


def test_a_returned_draft_is_edited_by_its_author_and_sent_again_from_the_edit_page(signed_in, clerk, clerk2, wechat):
    draft = _draft(clerk, wechat)
    actions.decide(draft, verdict="return", comment="请补充材料清单", actor=clerk2)
    client = signed_in(clerk)
    assert [d.title for d, _, _ in client.get("/drafts/?tab=returned").context["rows"]] == [draft.title]

    response = client.post(f"/drafts/{draft.pk}/edit/", _form(wechat, body="<p>材料清单见附件。</p>", submit="1"),
                           follow=True)

    assert "稿件已送审，等待初审。" in response.content.decode()
    state = _state(draft)
    assert (state.status, state.stage, state.submission.body) == (Status.IN_REVIEW, Stage.FIRST, "<p>材料清单见附件。</p>")


def test_an_attachment_downloads_for_a_reviewer_and_not_for_another_unit(as_person, clerk, clerk2, outsider, wechat):
    draft = _draft(clerk, wechat, submit=False)
    attachment = actions.add_attachment(draft, SimpleUploadedFile("现场照片.png", _png()), actor=clerk)
    url = f"/drafts/{draft.pk}/attachments/{attachment.pk}/"

    response = as_person(clerk2).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == _png()
    assert "filename*=utf-8''%E7%8E%B0%E5%9C%BA%E7%85%A7%E7%89%87.png" in response["Content-Disposition"]
    assert as_person(outsider).get(url).status_code == 404


def test_a_decision_posted_from_a_page_that_has_moved_on_lands_nowhere(signed_in, clerk, clerk2, chief, deputy, wechat):
    draft = _draft(clerk, wechat)
    _approve(draft, clerk2)
    client = signed_in(deputy)
    page = client.get(f"/drafts/{draft.pk}/").content.decode()
    assert 'name="stage" value="second"' in page and f'name="version" value="{draft.content_hash}"' in page
    _approve(draft, chief)  # meanwhile the section head approved 复审: the draft waits for 签发

    response = client.post(f"/drafts/{draft.pk}/decide/", {"decision": "approve", "stage": "second",
                                                           "version": draft.content_hash})

    assert "复审已由他人处理，请刷新后查看" in response.content.decode()
    assert _state(draft).stage == Stage.SIGN  # deputy's click did not become a 签发
    assert not Decision.objects.filter(actor=deputy).exists()


def test_a_decision_posted_on_a_version_that_was_edited_meanwhile_lands_nowhere(signed_in, clerk, clerk2, wechat):
    draft = _draft(clerk, wechat)
    seen = draft.content_hash
    actions.update_draft(draft, body="<p>改过的正文</p>", actor=clerk)

    response = signed_in(clerk2).post(f"/drafts/{draft.pk}/decide/", {"decision": "approve", "stage": "first",
                                                                       "version": seen})

    assert "稿件在您查看后已被修改，请刷新后审核最新版本" in response.content.decode()
    assert not Decision.objects.exists()


def test_a_publication_time_before_the_approval_or_in_the_future_is_refused(signed_in, clerk, clerk2, chief, leader,
                                                                            wechat):
    draft = _draft(clerk, wechat)
    _approve(draft, clerk2, chief, leader)
    client = signed_in(clerk)
    now = timezone.localtime()

    for moment, message in ((now - timedelta(days=3), "不符合先审后发"), (now + timedelta(hours=1), "发布时间不能晚于当前时间")):
        response = client.post(f"/drafts/{draft.pk}/publish/", {
            "account": wechat.pk, "url": "https://mp.weixin.qq.com/s/x", "published_at": f"{moment:%Y-%m-%d %H:%M}"})
        assert message in response.content.decode()
    assert not Publication.objects.exists()

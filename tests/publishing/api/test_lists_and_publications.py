"""Lists of drafts (visible, mine, waiting, by status), publishing records, and reprint directives (第六条)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine

from govmedia.audit.events import EventType
from govmedia.publishing.models import ReprintDirective


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["items"]]


def test_each_person_lists_only_the_drafts_they_may_view(api, office, clerk, vendor, outsider, wechat,
                                                         inspection_account):
    bureau_draft = api(clerk).write(wechat)
    vendor_draft = api(vendor).write(wechat, title="外包撰写的政策解读")
    institution_draft = api(outsider).write(inspection_account)

    assert _ids(api(office).get("/drafts")) == [institution_draft["id"], vendor_draft["id"], bureau_draft["id"]]
    assert _ids(api(clerk).get("/drafts")) == [vendor_draft["id"], bureau_draft["id"]]
    assert _ids(api(vendor).get("/drafts")) == [vendor_draft["id"]]
    assert _ids(api(outsider).get("/drafts")) == [institution_draft["id"]]


def test_waiting_lists_the_drafts_whose_current_level_the_caller_may_decide(api, clerk, clerk2, chief, wechat):
    author, first, second = api(clerk), api(clerk2), api(chief)
    submitted = author.submit(author.write(wechat))
    author.write(wechat, title="尚未送审的稿件")

    before = (_ids(first.get("/drafts", waiting=1)), _ids(second.get("/drafts", waiting=1)))
    first.approve(submitted)
    after = (_ids(first.get("/drafts", waiting=1)), _ids(second.get("/drafts", waiting=1)))

    assert before == ([submitted["id"]], [])
    assert after == ([], [submitted["id"]])
    assert _ids(author.get("/drafts", waiting=1)) == []  # never one's own draft


def test_the_list_filters_by_status_and_by_author(api, clerk, clerk2, wechat):
    mine = api(clerk).submit(api(clerk).write(wechat))
    theirs = api(clerk2).write(wechat, title="赵敏的稿件")
    as_clerk = api(clerk)

    assert _ids(as_clerk.get("/drafts", mine=1)) == [mine["id"]]
    assert _ids(as_clerk.get("/drafts", status="draft")) == [theirs["id"]]
    rows = as_clerk.get("/drafts", status="in_review").json()["items"]
    assert [(r["id"], r["status"], r["stage"], r["stage_label"]) for r in rows] == [
        (mine["id"], "in_review", "first", "初审")]
    assert as_clerk.get("/drafts", status="late").status_code == 422


def _approved(api, bureau, wechat, **fields) -> dict:
    author = api(bureau["clerk"])
    draft = author.submit(author.write(wechat, **fields))
    for name in ("clerk2", "chief", "leader"):
        api(bureau[name]).approve(draft)
    return draft


def test_only_an_approved_draft_can_be_marked_published(api, bureau, clerk, wechat):
    author = api(clerk)
    draft = author.submit(author.write(wechat))
    early = author.post(f"/drafts/{draft['id']}/publications", {"account": wechat.pk, "url": "https://mp.weixin.qq.com/s/1"})

    assert early.status_code == 409
    assert early.json()["detail"] == "只有审核通过的稿件才能登记发布"


def test_a_publication_records_its_link_and_time_and_the_draft_reads_published(api, bureau, clerk, wechat, audit):
    with time_machine.travel(datetime(2026, 3, 2, 1, 0, tzinfo=UTC), tick=False):  # approved at 09:00 Shanghai
        draft = _approved(api, bureau, wechat)
    author = api(clerk)
    audit.mark()

    with time_machine.travel(datetime(2026, 3, 2, 2, 0, tzinfo=UTC), tick=False):
        response = author.post(f"/drafts/{draft['id']}/publications", {
            "account": wechat.pk, "url": "https://mp.weixin.qq.com/s/wjrs-001", "published_at": "2026-03-02T09:30:00"})

    assert response.status_code == 201
    body = response.json()
    assert (body["account"], body["url"], body["failure_reason"]) == (wechat.pk, "https://mp.weixin.qq.com/s/wjrs-001", "")
    assert datetime.fromisoformat(body["published_at"]) == datetime(2026, 3, 2, 1, 30, tzinfo=UTC)  # 09:30 Shanghai
    after = author.read(draft)
    assert (after["status"], [p["url"] for p in after["publications"]]) == ("published", ["https://mp.weixin.qq.com/s/wjrs-001"])
    assert audit.new() == [EventType.PUBLICATION_RECORDED]


def test_a_failed_publication_keeps_the_draft_approved(api, bureau, clerk, wechat):
    draft = _approved(api, bureau, wechat)
    author = api(clerk)

    response = author.post(f"/drafts/{draft['id']}/publications", {"account": wechat.pk, "failure_reason": "平台审核未通过"})

    assert response.status_code == 201
    assert response.json()["published_at"] is None
    assert author.read(draft)["status"] == "approved"


def test_a_publication_needs_a_link_or_a_failure_reason_on_one_of_the_drafts_accounts(api, bureau, clerk, wechat,
                                                                                      weibo):
    draft = _approved(api, bureau, wechat)
    author = api(clerk)

    empty = author.post(f"/drafts/{draft['id']}/publications", {"account": wechat.pk})
    elsewhere = author.post(f"/drafts/{draft['id']}/publications", {"account": weibo.pk, "url": "https://weibo.com/1"})

    assert (empty.status_code, elsewhere.status_code) == (422, 422)
    assert empty.json() == {"detail": "请填写发布链接，或填写发布失败的原因", "field": "url"}
    assert elsewhere.json() == {"detail": "账号新浪微博「吴江人社」不在该稿件的发布账号中", "field": "account"}


def test_the_office_records_a_directive_due_24_hours_after_it_was_received(api, office, wechat, weibo, audit):
    as_office = api(office)
    audit.mark()

    response = as_office.post("/directives", {
        "title": "关于做好2026年高校毕业生就业工作的通知", "source": "江苏省人力资源和社会保障厅",
        "url": "https://jshrss.jiangsu.gov.cn/art/2026/3/1/1.html", "received_at": "2026-03-02T10:00:00+08:00",
        "accounts": [wechat.pk, weibo.pk]})

    assert response.status_code == 201
    body = response.json()
    assert datetime.fromisoformat(body["due_at"]) == datetime(2026, 3, 3, 2, 0, tzinfo=UTC)  # 10:00 next day, Shanghai
    assert (body["accounts"], body["done_accounts"]) == (sorted([wechat.pk, weibo.pk]), [])
    assert audit.new() == [EventType.DIRECTIVE_CREATED]


def test_only_the_office_records_directives(api, clerk, wechat):
    response = api(clerk).post("/directives", {"title": "通知", "source": "省厅", "received_at": "2026-03-02T10:00:00+08:00",
                                               "accounts": [wechat.pk]})

    assert response.status_code == 403
    assert response.json()["detail"] == "只有局办公室可以下达转载通知"
    assert ReprintDirective.objects.count() == 0


def test_a_directive_is_overdue_after_24_hours_until_its_reprint_is_published_on_every_account(
        api, bureau, office, clerk, wechat, outsider):
    received = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
    directive = api(office).post("/directives", {"title": "省厅重要通知", "source": "江苏省人力资源和社会保障厅",
                                                 "received_at": received.isoformat(), "accounts": [wechat.pk]}).json()
    with time_machine.travel(received + timedelta(hours=2), tick=False):
        draft = _approved(api, bureau, wechat, kind="reprint", source_name="江苏省人力资源和社会保障厅",
                          original_title="省厅重要通知", directive=directive["id"])
    as_clerk = api(clerk)

    with time_machine.travel(received + timedelta(hours=24), tick=False):
        at_deadline = as_clerk.get("/directives").json()["items"]
    with time_machine.travel(received + timedelta(hours=24, seconds=1), tick=False):
        late = as_clerk.get("/directives").json()["items"]
        as_clerk.post(f"/drafts/{draft['id']}/publications", {"account": wechat.pk, "url": "https://mp.weixin.qq.com/s/r"})
        done = as_clerk.get("/directives").json()["items"]

    assert [(d["id"], d["overdue"]) for d in at_deadline] == [(directive["id"], False)]
    assert [(d["id"], d["overdue"]) for d in late] == [(directive["id"], True)]
    assert [(d["done_accounts"], d["overdue"]) for d in done] == [([wechat.pk], False)]
    assert api(outsider).get("/directives").json()["items"] == []  # not for the institution's accounts


def test_a_draft_is_linked_to_a_directive_afterwards_without_restarting_its_review(api, bureau, office, clerk, wechat,
                                                                                    audit):
    directive = api(office).post("/directives", {"title": "省厅重要通知", "source": "江苏省人力资源和社会保障厅",
                                                 "received_at": "2026-03-02T10:00:00+08:00",
                                                 "accounts": [wechat.pk]}).json()
    draft = _approved(api, bureau, wechat, kind="reprint", source_name="江苏省人力资源和社会保障厅",
                      original_title="省厅重要通知")
    as_clerk = api(clerk)
    before = as_clerk.read(draft)
    audit.mark()

    linked = as_clerk.patch(f"/drafts/{draft['id']}", {"directive": directive["id"]})
    unchanged = as_clerk.patch(f"/drafts/{draft['id']}", {"title": before["title"]})
    unlinked = as_clerk.patch(f"/drafts/{draft['id']}", {"directive": None})

    assert linked.status_code == 200 and linked.json()["directive"] == directive["id"]
    assert linked.json()["status"] == before["status"] == "approved"  # not content: the approvals still stand
    assert unchanged.json()["directive"] == directive["id"]           # a PATCH without the key leaves it
    assert unlinked.json()["directive"] is None
    assert audit.new() == [EventType.DRAFT_EDITED, EventType.DRAFT_EDITED]


def test_a_directive_that_does_not_name_the_drafts_account_or_is_unknown_is_refused(api, bureau, office, clerk,
                                                                                   wechat, weibo):
    for_weibo = api(office).post("/directives", {"title": "省厅通知", "source": "省厅",
                                                 "received_at": "2026-03-02T10:00:00+08:00",
                                                 "accounts": [weibo.pk]}).json()
    draft = api(clerk).write(wechat)

    elsewhere = api(clerk).patch(f"/drafts/{draft['id']}", {"directive": for_weibo["id"]})
    unknown = api(clerk).patch(f"/drafts/{draft['id']}", {"directive": 999999})

    assert elsewhere.status_code == 422
    assert elsewhere.json() == {"detail": "该转载通知没有要求本稿件的发布账号转载", "field": "directive"}
    assert unknown.json() == {"detail": "转载通知（编号 999999）不存在", "field": "directive"}
    assert api(clerk).read(draft)["directive"] is None


def test_a_page_of_the_draft_list_costs_the_same_queries_for_3_drafts_as_for_30(api, clerk, wechat, weibo):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    as_clerk = api(clerk)

    def queries_for_page() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = as_clerk.get("/drafts", limit=50)
        assert response.status_code == 200
        return len(captured)

    for i in range(3):
        as_clerk.write(wechat, title=f"稿件{i}")
    few = queries_for_page()
    for i in range(27):
        as_clerk.write(weibo if i % 2 else wechat, title=f"稿件{i + 3}")
    many = queries_for_page()

    assert as_clerk.get("/drafts").json()["count"] == 30
    assert many == few

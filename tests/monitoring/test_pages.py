"""The monitoring pages through the real sign-in: lists, filters, exports, imports, replies, sources, home."""

from __future__ import annotations

import io
from datetime import timedelta

import openpyxl
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from govmedia.monitoring import actions
from govmedia.monitoring.models import FeedKind, FeedSource, Interaction, Post, PostSource

from .conftest import xlsx
from .test_feeds import ATOM


def _rows(response, table: str) -> int:
    return response.content.decode().split(f'id="{table}"')[1].split("</table>")[0].count("<tr") - 1


def test_the_post_list_filters_sorts_and_pages(signed_in, office, wechat, brigade):
    client = signed_in(office)

    everything = client.get("/posts/")
    reprints = client.get("/posts/", {"kind": "reprint"})
    one_account = client.get("/posts/", {"account": brigade.pk, "sort": "title"})
    by_title = client.get("/posts/", {"q": "公示"})
    last_week = client.get("/posts/", {"account": wechat.pk, "from": f"{timezone.localdate() - timedelta(days=7)}"})
    before = client.get("/posts/", {"account": wechat.pk, "to": f"{timezone.localdate() - timedelta(days=20)}"})
    imported = client.get("/posts/", {"source": "import", "unit": brigade.unit_id})

    assert _rows(everything, "posts") == Post.objects.count()
    assert _rows(reprints, "posts") == Post.objects.filter(kind="reprint").count() == 2
    page = one_account.content.decode()
    assert page.index("劳动保障监察投诉须知") < page.index("根治欠薪冬季专项行动启动")  # sorted by title
    assert _rows(by_title, "posts") == 1 and "就业见习补贴发放名单公示" in by_title.content.decode()
    assert _rows(last_week, "posts") == 2
    assert _rows(before, "posts") == 1 and "一图读懂" in before.content.decode()
    assert _rows(imported, "posts") == 2


def test_the_post_list_answers_in_the_same_number_of_queries_however_many_posts(signed_in, office, wechat):
    client = signed_in(office)
    client.get("/posts/")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/posts/").status_code == 200
        return len(captured)

    before = queries()
    for i in range(30):
        actions.record_post(account=wechat, published_at=timezone.now() - timedelta(hours=i + 1), title=f"第{i}篇",
                            source=PostSource.API, actor=office)

    assert queries() == before


def test_a_unit_clerk_sees_only_the_units_posts(signed_in, outsider, brigade):
    response = signed_in(outsider).get("/posts/")

    assert _rows(response, "posts") == Post.objects.filter(account=brigade).count() == 2
    assert "吴江人社" not in response.content.decode().split('id="posts"')[1]


def test_the_export_holds_the_filtered_posts(signed_in, office, brigade):
    response = signed_in(office).get("/posts/export.xlsx", {"account": brigade.pk})

    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert [row[3] for row in ws.iter_rows(min_row=2, values_only=True)] == ["根治欠薪冬季专项行动启动", "劳动保障监察投诉须知"]


def test_a_post_recorded_by_hand_shows_on_its_page(signed_in, vendor, wechat):
    client = signed_in(vendor)
    when = timezone.localtime() - timedelta(hours=2)

    response = client.post("/posts/new/", {"account": wechat.pk, "published_at": f"{when:%Y-%m-%dT%H:%M}",
                                           "title": "外包人员登记的内容", "url": "", "kind": "original", "text": "正文内容"})

    post = Post.objects.get(title="外包人员登记的内容")
    assert response["Location"] == f"/posts/{post.pk}/"
    assert post.source == PostSource.MANUAL
    detail = client.get(response["Location"]).content.decode()
    assert "正文内容" in detail and "手工登记" in detail


def test_a_post_form_error_names_the_field(signed_in, clerk, wechat):
    response = signed_in(clerk).post("/posts/new/", {"account": wechat.pk, "published_at": "2000-01-01T10:00",
                                                     "title": "太早", "kind": "original"})

    assert response.status_code == 200
    assert "发布时间2000-01-01早于账号开设日期" in response.content.decode()
    assert not Post.objects.filter(title="太早").exists()


def test_an_import_with_errors_lists_them_and_a_good_one_redirects(signed_in, clerk, wechat):
    client = signed_in(clerk)
    header = ["账号", "发布时间", "标题", "链接", "类型", "正文"]
    when = f"{timezone.localtime() - timedelta(days=1):%Y-%m-%d %H:%M}"

    bad = client.post("/posts/import/", {"file": xlsx(header, [[wechat.pk, when, "", "", "原创", ""]])})
    good = client.post("/posts/import/", {"file": xlsx(header, [[wechat.pk, when, "页面导入", "", "原创", ""]])})

    assert "未导入任何数据" in bad.content.decode() and "请填写标题" in bad.content.decode()
    assert good["Location"] == "/posts/"
    assert "已导入1条发布内容。" in client.get("/posts/").content.decode()


def test_unanswered_messages_are_listed_marked_late_and_answered_from_the_list(signed_in, clerk, wechat):
    client = signed_in(clerk)

    page = client.get("/interactions/", {"status": "unanswered"}).content.decode()
    waiting = Interaction.objects.get(account=wechat, replied_at__isnull=True)
    reply = client.post(f"/interactions/{waiting.pk}/reply/", {"reply": "您好，请携带身份证办理。", "replied_at": ""})
    after = client.get("/interactions/", {"status": "unanswered"}).content.decode()

    assert page.count("interaction-unanswered") == 2  # the bureau's two; an institution's is not shown
    assert "逾期未回复" in page  # the Weibo comment of 12 days ago
    assert reply["Location"] == "/interactions/"
    assert after.count("interaction-unanswered") == 1
    assert Interaction.objects.get(pk=waiting.pk).reply == "您好，请携带身份证办理。"


def test_a_content_source_is_added_and_fetched_now_from_its_page(signed_in, clerk, wechat, platform):
    platform.routes[("GET", "/atom")] = lambda r: (200, ATOM.format(when=(timezone.now() - timedelta(hours=5)).isoformat()))
    client = signed_in(clerk)

    added = client.post(f"/accounts/{wechat.pk}/feeds/", {"kind": "rss", "url": f"{platform.url}/atom", "enabled": "on"})
    feed = FeedSource.objects.get(account=wechat, url=f"{platform.url}/atom")
    fetched = client.post(f"/accounts/{wechat.pk}/feeds/{feed.pk}/fetch/")
    page = client.get(f"/accounts/{wechat.pk}/feeds/").content.decode()

    assert added["Location"] == fetched["Location"] == f"/accounts/{wechat.pk}/feeds/"
    assert "抓取完成：新增 1 条，已有 0 条。" in page
    assert "Atom 条目" in page  # among the recent posts


def test_a_failing_source_shows_its_reason_and_a_wechat_source_whether_its_secret_is_set(
        signed_in, office, wechat, monkeypatch):
    monkeypatch.setenv("WX_MATRIX_SECRET", "x")
    actions.configure_feed(wechat, kind=FeedKind.WECHAT, url="http://127.0.0.1:9", app_id="wx1",
                           secret_env="WX_MATRIX_SECRET", actor=office)
    client = signed_in(office)
    feed = FeedSource.objects.get(account=wechat, app_id="wx1")

    client.post(f"/accounts/{wechat.pk}/feeds/{feed.pk}/fetch/")
    page = client.get(f"/accounts/{wechat.pk}/feeds/").content.decode()

    assert "无法连接 127.0.0.1:9/cgi-bin/token" in page
    assert "WX_MATRIX_SECRET" in page and "已设置" in page
    assert "x</" not in page  # the secret's value is not shown


def test_a_bad_source_is_refused_on_the_form(signed_in, clerk, wechat):
    response = signed_in(clerk).post(f"/accounts/{wechat.pk}/feeds/", {"kind": "wechat", "url": "https://api.weixin.qq.com",
                                                                       "secret_env": "WX_SECRET"})

    assert "请填写公众号的 AppID" in response.content.decode()
    assert not FeedSource.objects.filter(account=wechat, kind="wechat").exists()


# --- home -------------------------------------------------------------------------------------------------


def test_the_home_page_points_to_the_messages_waiting_for_a_reply(signed_in, office):
    page = signed_in(office).get("/").content.decode()

    warning = page.split('id="monitoring-warning"')[1].split("</div>")[0]
    assert "有 <strong>3</strong> 条群众留言或评论尚未回复" in warning  # the demo's three unanswered messages
    assert "/interactions/?status=unanswered" in warning


def test_the_home_page_says_nothing_when_all_is_well(signed_in, outsider, brigade):
    actions.record_post(account=brigade, published_at=timezone.now() - timedelta(hours=1), title="新一期",
                        source=PostSource.MANUAL, actor=outsider)

    response = signed_in(outsider).get("/")

    assert response.status_code == 200 and 'id="monitoring-warning"' not in response.content.decode()


def test_the_post_list_counts_up_to_its_cap_and_says_more_beyond(signed_in, office, monkeypatch):
    from govmedia.monitoring.models import Post
    from govmedia.monitoring.views import CappedPaginator

    client = signed_in(office)
    total = Post.objects.count()
    monkeypatch.setattr(CappedPaginator, "COUNT_CAP", total - 1)
    capped = client.get("/posts/").content.decode()
    monkeypatch.setattr(CappedPaginator, "COUNT_CAP", total)
    exact = client.get("/posts/").content.decode()

    assert f"共{total - 1}+条" in capped
    assert f"共{total}条" in exact and f"共{total}+条" not in exact

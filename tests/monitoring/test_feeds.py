"""Fetching from a real HTTP server on 127.0.0.1 that answers like the documented APIs. No internet."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from govmedia import policy
from govmedia.audit.events import EventType
from govmedia.audit.models import AuditEvent
from govmedia.monitoring import actions, feeds
from govmedia.monitoring.models import FeedKind, FeedSource, Post

SECRET = "s3cr3t-AppSecret-value"
TOKEN = "ACCESS-TOKEN-42"


def _ago(days: float) -> datetime:
    return (timezone.now() - timedelta(days=days)).replace(microsecond=0)


def _feed(account, office, kind: str, url: str, **fields) -> FeedSource:
    return actions.configure_feed(account, kind=kind, url=url, actor=office, **fields)


def _new_posts(account, source: str) -> list[Post]:
    return list(Post.objects.filter(account=account, source=source).order_by("-published_at"))


# --- RSS and Atom -----------------------------------------------------------------------------------------

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>吴江人社</title>
<item><title>社保补贴申领指南</title><link>https://example.gov.cn/a/1</link><guid>tag:1</guid>
<pubDate>{first}</pubDate><description>摘要</description>
<content:encoded><![CDATA[<p>第一段</p><p>第二段<img src="x.png" alt="图"></p>]]></content:encoded></item>
<item><title>招聘会通知</title><guid isPermaLink="false">tag:2</guid><pubDate>{second}</pubDate>
<description>&lt;p&gt;周五举办&lt;/p&gt;</description></item>
<item><title>没有时间的条目</title><link>https://example.gov.cn/a/3</link></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>吴江人社</title><id>urn:wjrs</id>
<entry><title>Atom 条目</title><id>urn:wjrs:1</id><link rel="alternate" href="https://example.gov.cn/b/1"/>
<published>{when}</published><updated>{when}</updated><content type="html">&lt;p&gt;正文&lt;/p&gt;</content></entry>
</feed>"""


def test_an_rss_feed_adds_its_items_once(platform, wechat, office):
    first, second = _ago(1), _ago(2)
    body = RSS.format(first=first.strftime("%a, %d %b %Y %H:%M:%S %z"), second=second.strftime("%a, %d %b %Y %H:%M:%S %z"))
    platform.routes[("GET", "/rss.xml")] = lambda r: (200, body)
    feed = _feed(wechat, office, FeedKind.RSS, f"{platform.url}/rss.xml")

    result = feeds.fetch_feed(feed)
    again = feeds.fetch_feed(feed)

    assert (result.ok, result.created, result.left_out) == (True, 2, 1)
    assert (again.created, again.skipped) == (0, 2)
    posts = _new_posts(wechat, "feed")
    assert [(p.title, p.published_at, p.url, p.external_id) for p in posts] == [
        ("社保补贴申领指南", first, "https://example.gov.cn/a/1", "https://example.gov.cn/a/1"),
        ("招聘会通知", second, "", "tag:2"),
    ]
    assert posts[0].text == "第一段\n第二段" and posts[1].text == "周五举办"
    feed.refresh_from_db()
    assert feed.last_error == "" and feed.last_fetched_at is not None
    # The system's hourly runs are audited when they add something, not when nothing changed.
    assert AuditEvent.objects.filter(event_type=EventType.POSTS_FETCHED, object_id=str(feed.pk)).count() == 1


def test_an_atom_feed_reads_like_rss(platform, wechat, office):
    when = _ago(0.5)
    platform.routes[("GET", "/atom")] = lambda r: (200, ATOM.format(when=when.isoformat()))

    result = feeds.fetch_feed(_feed(wechat, office, FeedKind.RSS, f"{platform.url}/atom"))

    assert result.created == 1
    post = _new_posts(wechat, "feed")[0]
    assert (post.title, post.published_at, post.url, post.text) == ("Atom 条目", when, "https://example.gov.cn/b/1", "正文")


@pytest.mark.parametrize(("status", "body", "message"), [
    (200, "<rss><channel><item><title>未闭合", "的内容不是有效的 XML"),
    (200, '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><rss>&a;</rss>', "含有不安全的 XML 结构"),
    (200, "<html><body>登录</body></html>", "不是 RSS 或 Atom 订阅（根元素为 html）"),
    (503, "维护中", "返回 HTTP 503"),
])
def test_a_broken_feed_is_stored_as_the_sources_error_and_adds_nothing(platform, wechat, office, status, body, message):
    platform.routes[("GET", "/rss.xml")] = lambda r: (status, body)
    feed = _feed(wechat, office, FeedKind.RSS, f"{platform.url}/rss.xml")

    result = feeds.fetch_feed(feed)

    assert not result.ok and message in result.error
    feed.refresh_from_db()
    assert feed.last_error == result.error
    assert feed.last_error.startswith(f"127.0.0.1:{platform.server.server_address[1]}/rss.xml ")
    assert _new_posts(wechat, "feed") == []
    assert AuditEvent.objects.filter(event_type=EventType.POSTS_FETCHED, after__error=result.error).count() == 1


def test_a_feed_over_the_size_cap_or_too_slow_is_refused(platform, wechat, office, monkeypatch):
    release = threading.Event()
    monkeypatch.setattr(policy, "FEED_MAX_BYTES", 1000)
    monkeypatch.setattr(policy, "FEED_TIMEOUT_SECONDS", 0.5)
    platform.routes[("GET", "/big")] = lambda r: (200, "<rss>" + "x" * 2000 + "</rss>")
    platform.routes[("GET", "/slow")] = lambda r: (release.wait(5), (200, "<rss/>"))[1]

    big = feeds.fetch_feed(_feed(wechat, office, FeedKind.RSS, f"{platform.url}/big"))
    slow = feeds.fetch_feed(_feed(wechat, office, FeedKind.RSS, f"{platform.url}/slow"))
    release.set()

    assert big.error == f"127.0.0.1:{platform.server.server_address[1]}/big 返回的内容过大（超过 1 KB）"
    assert slow.error.endswith("超时（超过0.5秒）")


def test_an_unreachable_address_is_reported_not_raised(wechat, office):
    result = feeds.fetch_feed(_feed(wechat, office, FeedKind.RSS, "http://127.0.0.1:9/rss.xml"))

    assert result.error.startswith("无法连接 127.0.0.1:9/rss.xml")


# --- WeChat -----------------------------------------------------------------------------------------------


def _wechat_list(count: int) -> list[dict]:
    """count publications, newest first; every fifth holds two articles."""
    entries = []
    for i in range(count):
        created = int(_ago(i + 1).timestamp())
        news = [{"title": f"图文{i}", "author": "吴江人社", "digest": f"摘要{i}", "content": f"<p>内容{i}</p>",
                 "url": f"https://mp.weixin.qq.com/s/{i}", "is_deleted": False}]
        if i % 5 == 0:
            news.append({"title": f"图文{i}-2", "digest": "", "content": "", "url": f"https://mp.weixin.qq.com/s/{i}b"})
        entries.append({"article_id": f"art{i}", "content": {"news_item": news, "create_time": created,
                                                             "update_time": created}, "update_time": created})
    return entries


@pytest.fixture
def wechat_api(platform, monkeypatch):
    """The documented token and batchget endpoints over 45 publications."""
    monkeypatch.setenv("WECHAT_WJRS_SECRET", SECRET)
    entries = _wechat_list(45)

    def token(request):
        if request.query != {"grant_type": "client_credential", "appid": "wx0123", "secret": SECRET}:
            return 200, {"errcode": 40125, "errmsg": "invalid appsecret rid: 1"}
        return 200, {"access_token": TOKEN, "expires_in": 7200}

    def batchget(request):
        if request.query.get("access_token") != TOKEN:
            return 200, {"errcode": 42001, "errmsg": "access_token expired"}
        asked = request.json()
        page = entries[asked["offset"]:asked["offset"] + asked["count"]]
        return 200, {"total_count": len(entries), "item_count": len(page), "item": page}

    platform.routes[("GET", "/cgi-bin/token")] = token
    platform.routes[("POST", "/cgi-bin/freepublish/batchget")] = batchget
    platform.entries = entries
    return platform


def test_the_wechat_list_is_read_page_by_page_with_a_fresh_token(wechat_api, wechat, office):
    feed = _feed(wechat, office, FeedKind.WECHAT, wechat_api.url, app_id="wx0123", secret_env="WECHAT_WJRS_SECRET")

    result = feeds.fetch_feed(feed)

    assert (result.ok, result.created) == (True, 45 + 9)  # 9 publications hold a second article
    pages = [r.json() for r in wechat_api.requests if r.path.endswith("batchget")]
    assert pages == [{"offset": 0, "count": 20, "no_content": 0}, {"offset": 20, "count": 20, "no_content": 0},
                     {"offset": 40, "count": 20, "no_content": 0}]
    newest = _new_posts(wechat, "wechat")[0]
    assert (newest.title, newest.url, newest.text) == ("图文0", "https://mp.weixin.qq.com/s/0", "内容0")
    assert newest.published_at == datetime.fromtimestamp(wechat_api.entries[0]["content"]["create_time"], UTC)
    assert Post.objects.get(account=wechat, title="图文0-2").text == ""


def test_a_second_wechat_fetch_stops_at_the_first_page_it_already_has(wechat_api, wechat, office):
    feed = _feed(wechat, office, FeedKind.WECHAT, wechat_api.url, app_id="wx0123", secret_env="WECHAT_WJRS_SECRET")
    feeds.fetch_feed(feed)
    wechat_api.requests.clear()

    again = feeds.fetch_feed(feed)

    assert (again.created, again.skipped) == (0, 24)  # one page: 20 publications, 4 with a second article
    assert [r.path for r in wechat_api.requests] == ["/cgi-bin/token", "/cgi-bin/freepublish/batchget"]


def test_a_wechat_error_code_is_reported_in_chinese_and_the_secret_never_shows(wechat_api, wechat, office, monkeypatch):
    monkeypatch.setenv("WECHAT_WJRS_SECRET", "wrong-secret")
    feed = _feed(wechat, office, FeedKind.WECHAT, wechat_api.url, app_id="wx0123", secret_env="WECHAT_WJRS_SECRET")

    result = feeds.fetch_feed(feed)

    assert result.error == "微信接口（获取 access_token）返回错误 40125：AppSecret 无效（invalid appsecret rid: 1）"
    texts = [str(row) for row in AuditEvent.objects.values_list("before", "after", "object_repr")]
    assert not any("wrong-secret" in t or SECRET in t for t in texts + [result.error])


def test_a_source_whose_secret_is_not_set_on_the_server_says_so(platform, wechat, office, monkeypatch):
    monkeypatch.delenv("WECHAT_OTHER_SECRET", raising=False)
    feed = _feed(wechat, office, FeedKind.WECHAT, platform.url, app_id="wx0123", secret_env="WECHAT_OTHER_SECRET")

    result = feeds.fetch_feed(feed)

    assert result.error == "服务器上未设置环境变量 WECHAT_OTHER_SECRET，请在其中保存AppSecret"
    assert platform.requests == []


# --- Weibo ------------------------------------------------------------------------------------------------


def _status(i: int, retweet: bool = False) -> dict:
    created = (timezone.now() - timedelta(days=i + 1)).astimezone(timezone.get_fixed_timezone(480))
    status = {"id": 4000000000 + i, "idstr": str(4000000000 + i), "created_at": created.strftime("%a %b %d %H:%M:%S %z %Y"),
              "text": f"第{i}条微博 <a href='https://t.cn/x'>#就业#</a>"}
    if retweet:
        status["retweeted_status"] = {"idstr": "1", "text": "江苏人社：社保卡功能一览"}
    return status


@pytest.fixture
def weibo_api(platform, monkeypatch):
    monkeypatch.setenv("WEIBO_WJRS_TOKEN", TOKEN)
    statuses = [_status(i, retweet=i == 1) for i in range(60)]

    def timeline(request):
        if request.query.get("access_token") != TOKEN:
            return 400, {"error": "expired_token", "error_code": 21327, "request": "/2/statuses/user_timeline.json"}
        count, page = int(request.query["count"]), int(request.query["page"])
        return 200, {"statuses": statuses[(page - 1) * count:page * count], "total_number": len(statuses)}

    platform.routes[("GET", "/2/statuses/user_timeline.json")] = timeline
    return platform


def test_the_weibo_timeline_is_read_page_by_page_and_a_retweet_is_a_reprint(weibo_api, weibo, office):
    feed = _feed(weibo, office, FeedKind.WEIBO, weibo_api.url, app_id="2803301701", secret_env="WEIBO_WJRS_TOKEN")

    result = feeds.fetch_feed(feed)

    assert (result.ok, result.created) == (True, 60)
    assert [(r.query["uid"], r.query["page"], r.query["count"]) for r in weibo_api.requests] == [
        ("2803301701", "1", "50"), ("2803301701", "2", "50")]
    retweet = Post.objects.get(account=weibo, external_id="4000000001")
    assert retweet.kind == "reprint"
    assert retweet.text == "第1条微博 #就业#\n【转发】江苏人社：社保卡功能一览"
    assert (retweet.title, retweet.url) == ("第1条微博 #就业#", "https://weibo.com/2803301701/4000000001")
    assert Post.objects.get(account=weibo, external_id="4000000000").kind == "original"


def test_a_weibo_error_answer_is_reported_in_chinese(weibo_api, weibo, office, monkeypatch):
    monkeypatch.setenv("WEIBO_WJRS_TOKEN", "stale")
    feed = _feed(weibo, office, FeedKind.WEIBO, weibo_api.url, app_id="2803301701", secret_env="WEIBO_WJRS_TOKEN")

    result = feeds.fetch_feed(feed)

    assert result.error == "微博接口返回错误 21327：access_token 已过期（expired_token）"


def test_a_weibo_created_at_reads_in_any_locale():
    from govmedia.monitoring.adapters.weibo import created_at

    assert created_at("Tue May 31 17:46:55 +0800 2011") == datetime(2011, 5, 31, 9, 46, 55, tzinfo=UTC)
    assert created_at("yesterday") is None


# --- the command and the job ------------------------------------------------------------------------------


def test_the_command_prints_a_line_per_source_and_fails_when_one_failed(platform, wechat, weibo, office):
    platform.routes[("GET", "/rss.xml")] = lambda r: (200, ATOM.format(when=_ago(1).isoformat()))
    _feed(wechat, office, FeedKind.RSS, f"{platform.url}/rss.xml")
    _feed(weibo, office, FeedKind.RSS, f"{platform.url}/missing.xml")
    out, err = StringIO(), StringIO()

    with pytest.raises(CommandError, match="1 个来源抓取失败"):
        call_command("fetch_posts", stdout=out, stderr=err)

    assert "[1/2] 微信公众号「吴江人社」 · RSS/Atom：新增 1 条，已有 0 条" in out.getvalue()
    assert "完成：2 个来源，新增 1 条发布内容，1 个来源失败。" in out.getvalue()
    assert "[2/2] 新浪微博「吴江人社」 · RSS/Atom：失败：" in err.getvalue() and "HTTP 404" in err.getvalue()


def test_the_command_can_fetch_one_account_and_skips_disabled_sources(platform, wechat, weibo, office):
    platform.routes[("GET", "/rss.xml")] = lambda r: (200, ATOM.format(when=_ago(1).isoformat()))
    _feed(wechat, office, FeedKind.RSS, f"{platform.url}/rss.xml")
    _feed(weibo, office, FeedKind.RSS, f"{platform.url}/rss.xml", enabled=False)
    out = StringIO()

    call_command("fetch_posts", "--account", str(wechat.pk), stdout=out)
    call_command("fetch_posts", "--account", str(weibo.pk), stdout=out)

    assert "[1/1] 微信公众号「吴江人社」" in out.getvalue()
    assert "没有启用的内容来源" in out.getvalue()
    with pytest.raises(CommandError, match="账号（编号 999999）不存在"):
        call_command("fetch_posts", "--account", "999999")


def test_the_hourly_job_fetches_every_enabled_source(platform, wechat, office):
    from govmedia.monitoring.tasks import hourly_fetch_posts

    platform.routes[("GET", "/rss.xml")] = lambda r: (200, ATOM.format(when=_ago(1).isoformat()))
    _feed(wechat, office, FeedKind.RSS, f"{platform.url}/rss.xml")

    assert hourly_fetch_posts.call_local() == {"sources": 1, "created": 1, "failed": 0}

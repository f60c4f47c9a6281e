"""Recording posts, replies and sources through the actions: checks, idempotency, audit, publishing → post."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from govmedia.audit.events import EventType
from govmedia.audit.models import AuditEvent
from govmedia.monitoring import actions
from govmedia.monitoring.actions import MonitoringError
from govmedia.monitoring.models import FeedKind, Interaction, InteractionKind, Post, PostSource
from govmedia.monitoring.updates import update_of
from govmedia.publishing import actions as publishing

HOUR = timedelta(hours=1)
BODY = "<p>符合条件的毕业生可申领<strong>一次性求职补贴</strong>。</p><p>申领材料：<a href='https://example.gov.cn/a'>清单</a></p>"


def _record(account, actor, **fields):
    values = {"published_at": timezone.now() - HOUR, "title": "2026年就业补贴申领指南", "source": PostSource.API}
    return actions.record_post(account=account, actor=actor, **(values | fields))


def test_a_post_is_recorded_once_and_audited_once(wechat, clerk, audit):
    audit.mark()

    post, created = _record(wechat, clerk, url="https://mp.weixin.qq.com/s/abc", text="正文")
    again, created_again = _record(wechat, clerk, url="https://mp.weixin.qq.com/s/abc", title="改了标题也是同一篇")

    assert (created, created_again, again.pk) == (True, False, post.pk)
    assert Post.objects.get(pk=post.pk).title == "2026年就业补贴申领指南"  # the repeat changed nothing
    assert audit.new() == [EventType.POST_RECORDED]
    row = AuditEvent.objects.get(event_type=EventType.POST_RECORDED, object_id=str(post.pk))
    assert row.after["title"] == "2026年就业补贴申领指南" and row.actor_name.startswith("clerk")


def test_a_post_is_known_by_its_platform_id_else_its_link_else_its_time_and_title(wechat, clerk):
    moment = timezone.now() - HOUR
    by_id, _ = _record(wechat, clerk, external_id="wx-1", url="https://mp.weixin.qq.com/s/1")
    by_link, _ = _record(wechat, clerk, url="https://mp.weixin.qq.com/s/2")
    by_time, _ = _record(wechat, clerk, published_at=moment)

    assert by_id.external_id == "wx-1"
    assert by_link.external_id == "https://mp.weixin.qq.com/s/2"
    assert by_time.external_id.startswith("auto:")
    assert _record(wechat, clerk, published_at=moment)[1] is False
    assert _record(wechat, clerk, published_at=moment + timedelta(seconds=1))[1] is True  # another post
    long_link = "https://mp.weixin.qq.com/s?" + "x" * 300
    assert _record(wechat, clerk, url=long_link)[0].external_id.startswith("sha256:")


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"title": "  "}, "title", "请填写标题"),
    ({"title": "标" * 301}, "title", "标题不能超过300个字"),
    ({"kind": "copy"}, "kind", "类型应为原创（original）或转载（reprint）"),
    ({"url": "mp.weixin.qq.com/s/1"}, "url", "链接格式不正确"),
    ({"published_at": timezone.now() + timedelta(hours=2)}, "published_at", "晚于当前时间"),
    ({"published_at": timezone.now() - timedelta(days=4000)}, "published_at", "早于账号开设日期"),
])
def test_a_bad_post_is_refused_naming_the_field(wechat, clerk, fields, field, message):
    with pytest.raises(MonitoringError) as refused:
        _record(wechat, clerk, **fields)

    assert refused.value.field == field
    assert message in refused.value.message
    assert not Post.objects.filter(account=wechat, source=PostSource.API).exists()


def test_a_time_without_an_offset_is_shanghai_time(wechat, clerk):
    post, _ = _record(wechat, clerk, published_at=datetime(2026, 3, 2, 9, 30))  # noqa: DTZ001

    assert post.published_at == datetime.fromisoformat("2026-03-02T01:30:00+00:00")


def test_who_may_record_posts_of_an_account(wechat, brigade, clerk, vendor, leader, auditor, outsider, office):
    assert _record(wechat, vendor, title="外包人员代为运营登记")[1]
    assert _record(brigade, office, title="局办公室登记")[1]
    assert _record(brigade, outsider, title="本单位信息员登记")[1]
    for person, account in ((leader, wechat), (auditor, wechat), (outsider, wechat), (clerk, brigade)):
        with pytest.raises(MonitoringError) as refused:
            _record(account, person, title=f"{person.username}不得登记")
        assert refused.value.code == "forbidden"


# --- publishing → post ------------------------------------------------------------------------------------


def _approved(author, account, **fields):
    from govmedia.org.models import Person

    draft = publishing.create_draft(accounts=[account], title="2026年度就业补贴政策解读", body=BODY, actor=author,
                                    **fields)
    publishing.submit_draft(draft, actor=author)
    for reviewer in ("clerk2", "chief", "leader"):
        publishing.decide(draft, verdict="approve", actor=Person.objects.get(username=reviewer))
    return draft


def test_a_publishing_record_becomes_the_accounts_post(quiet, clerk, audit):
    draft = _approved(clerk, quiet)
    audit.mark()

    publication = publishing.record_publication(draft, account=quiet, actor=clerk,
                                                url="https://www.kuaishou.com/wjrs/1")

    post = Post.objects.get(account=quiet)
    assert (post.publication, post.source, post.kind) == (publication, PostSource.WORKFLOW, "original")
    assert (post.title, post.url, post.published_at) == (
        "2026年度就业补贴政策解读", "https://www.kuaishou.com/wjrs/1", publication.published_at)
    assert post.text == "符合条件的毕业生可申领一次性求职补贴。\n申领材料：清单"  # plain text of the approved body
    assert update_of(quiet).status == "ok"
    assert audit.new() == [EventType.PUBLICATION_RECORDED]  # the publishing record's own row tells it


def test_a_reprint_counts_as_a_reprint_and_a_failed_publication_as_nothing(quiet, clerk):
    draft = _approved(clerk, quiet, kind="reprint", source_name="人力资源和社会保障部", original_title="原标题")

    publishing.record_publication(draft, account=quiet, actor=clerk, failure_reason="平台审核未通过")
    assert not Post.objects.filter(account=quiet).exists()
    publishing.record_publication(draft, account=quiet, actor=clerk, url="https://www.kuaishou.com/wjrs/2")

    assert Post.objects.get(account=quiet).kind == "reprint"


def test_a_post_fetched_before_its_publishing_record_is_linked_not_doubled(quiet, clerk, office):
    fetched, _ = _record(quiet, office, url="https://www.kuaishou.com/wjrs/3", source=PostSource.FEED)
    draft = _approved(clerk, quiet)

    publication = publishing.record_publication(draft, account=quiet, actor=clerk, url="https://www.kuaishou.com/wjrs/3")

    assert list(Post.objects.filter(account=quiet)) == [fetched]
    assert Post.objects.get(pk=fetched.pk).publication == publication


# --- replies ----------------------------------------------------------------------------------------------


@pytest.fixture
def message(wechat):
    item = actions.check_interaction(actions.InteractionData(
        wechat, InteractionKind.MESSAGE, "社保卡丢了怎么补办？", timezone.now() - 3 * HOUR, "网友甲"))
    actions.add_interactions([item], actor="测试", object_repr="测试")
    return Interaction.objects.get(account=wechat, text="社保卡丢了怎么补办？")


def test_a_reply_is_recorded_once(message, clerk, audit):
    audit.mark()

    actions.record_reply(message, reply="您好，可在线上补办。", actor=clerk)
    actions.record_reply(message, reply="您好，可在线上补办。", actor=clerk)  # the same again: nothing

    message.refresh_from_db()
    assert message.reply == "您好，可在线上补办。" and message.replied_at is not None
    assert audit.new() == [EventType.INTERACTION_REPLIED]
    with pytest.raises(MonitoringError) as conflict:
        actions.record_reply(message, reply="另一个回复", actor=clerk)
    assert conflict.value.code == "conflict"


def test_a_reply_before_the_message_or_by_someone_without_the_right_is_refused(message, clerk, leader):
    with pytest.raises(MonitoringError) as early:
        actions.record_reply(message, reply="好", replied_at=message.received_at - HOUR, actor=clerk)
    with pytest.raises(MonitoringError) as forbidden:
        actions.record_reply(message, reply="好", actor=leader)

    assert (early.value.field, forbidden.value.code) == ("replied_at", "forbidden")
    assert "早于留言时间" in early.value.message
    message.refresh_from_db()
    assert message.replied_at is None


# --- sources ----------------------------------------------------------------------------------------------


def test_a_source_stores_the_name_of_the_secrets_variable_never_the_secret(wechat, office, audit):
    audit.mark()

    feed = actions.configure_feed(wechat, kind=FeedKind.WECHAT, url="https://api.weixin.qq.com", app_id="wx0123",
                                  secret_env="WECHAT_WJRS_SECRET", actor=office)
    same = actions.configure_feed(wechat, feed=feed, kind=FeedKind.WECHAT, url="https://api.weixin.qq.com",
                                  app_id="wx0123", secret_env="WECHAT_WJRS_SECRET", actor=office)
    actions.configure_feed(wechat, feed=feed, kind=FeedKind.RSS, url="https://example.gov.cn/rss.xml",
                           app_id="wx0123", secret_env="WECHAT_WJRS_SECRET", actor=office)

    feed.refresh_from_db()
    assert same.pk == feed.pk
    assert (feed.kind, feed.app_id, feed.secret_env) == ("rss", "", "")  # RSS needs neither
    assert audit.new() == [EventType.FEED_CONFIGURED, EventType.FEED_CONFIGURED]  # the unchanged save: nothing
    change = AuditEvent.objects.filter(event_type=EventType.FEED_CONFIGURED).order_by("-seq").first()
    assert change.before["secret_env"] == "WECHAT_WJRS_SECRET" and change.after["kind"] == "rss"


@pytest.mark.parametrize(("fields", "field"), [
    ({"kind": FeedKind.WECHAT, "url": "https://api.weixin.qq.com", "secret_env": "WX_SECRET"}, "app_id"),
    ({"kind": FeedKind.WEIBO, "url": "https://api.weibo.com", "app_id": "123"}, "secret_env"),
    ({"kind": FeedKind.WEIBO, "url": "https://api.weibo.com", "app_id": "123", "secret_env": "wb-token"}, "secret_env"),
    ({"kind": FeedKind.RSS, "url": "ftp://example.gov.cn/rss"}, "url"),
    ({"kind": "twitter", "url": "https://example.gov.cn"}, "kind"),
])
def test_an_incomplete_source_is_refused(wechat, office, fields, field):
    with pytest.raises(MonitoringError) as refused:
        actions.configure_feed(wechat, actor=office, **fields)

    assert refused.value.field == field


def test_only_the_office_and_the_units_editors_configure_sources(wechat, vendor, leader, outsider):
    for person in (vendor, leader, outsider):
        with pytest.raises(MonitoringError) as refused:
            actions.configure_feed(wechat, kind=FeedKind.RSS, url="https://example.gov.cn/rss.xml", actor=person)
        assert refused.value.code == "forbidden"

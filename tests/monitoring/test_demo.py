"""The demo shows every update state, unanswered messages, and a leaked ID number for the patrol to find."""

from __future__ import annotations

from govmedia.checks.service import screener
from govmedia.monitoring.demo import LEAKED_ID
from govmedia.monitoring.models import FeedSource, Interaction, Post
from govmedia.monitoring.updates import update_of, with_last_post
from govmedia.registry.models import Account
from govmedia.screening.rules.privacy import valid_id18


def test_the_demo_accounts_show_every_update_state(bureau):
    states = {str(a): update_of(a).status.value for a in with_last_post(Account.objects.all())}

    assert states == {
        "微信公众号「吴江人社」": "ok", "新浪微博「吴江人社」": "due", "抖音「吴江人社」": "overdue",
        "微信公众号「吴江劳动监察」": "veto", "微信公众号「吴江人才服务」": "dormant", "微信视频号「吴江人社视频号」": "ok",
    }


def test_the_demo_stays_small_and_has_messages_waiting(bureau):
    assert Post.objects.count() + Interaction.objects.count() + FeedSource.objects.count() < 100
    assert Interaction.objects.filter(replied_at__isnull=True).count() == 3
    assert Interaction.objects.filter(replied_at__isnull=False).count() == 2


def test_one_published_post_leaks_a_valid_id_number_the_screening_engine_blocks(bureau):
    leaking = Post.objects.get(text__contains=LEAKED_ID)
    findings = screener().scan_text(leaking.text)

    assert valid_id18(LEAKED_ID)
    assert [(f.category, f.rule, f.severity) for f in findings if f.category == "privacy"] == [
        ("privacy", "id_card", "block")]

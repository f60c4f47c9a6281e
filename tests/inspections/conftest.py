"""Accounts, posts and items for the patrol, inspection and rectification tests."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from govmedia.demo import INSTITUTIONS
from govmedia.inspections import actions
from govmedia.inspections.models import Source
from govmedia.monitoring.models import Post, PostSource
from govmedia.registry.models import Account

SHANGHAI = ZoneInfo("Asia/Shanghai")
# An 18-digit ID number with a valid GB 11643 check digit (吴江区, born 1990-01-01); never the demo's.
ID_NUMBER = "32050919900101021X"


def id_number(birth: str, serial: str = "021") -> str:
    """A valid 18-digit ID number of 吴江区 for birth date YYYYMMDD (GB 11643 check digit)."""
    body = f"320509{birth}{serial}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]


def at(text: str) -> datetime:
    """'2026-06-05 10:00' in Asia/Shanghai, aware."""
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Evidence files land in a temporary folder, not in var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def wechat(bureau):
    """The bureau's 微信公众号 (its demo posts include a 公示 with an ID number)."""
    return Account.objects.get(platform__name="微信公众号", name="吴江人社")


@pytest.fixture
def weibo(bureau):
    """The bureau's 新浪微博: its demo posts are clean."""
    return Account.objects.get(platform__name="新浪微博", name="吴江人社")


@pytest.fixture
def brigade(bureau):
    """The 劳动保障监察大队's 微信公众号 (another unit: the outsider staff1's)."""
    return Account.objects.get(unit__name=INSTITUTIONS[0][0])


@pytest.fixture
def make_post():
    def make(account, text, *, title="关于就业见习补贴的公示", published="2026-06-01 10:00") -> Post:
        return Post.objects.create(account=account, published_at=at(published), title=title, text=text,
                                   source=PostSource.MANUAL)

    return make


@pytest.fixture
def make_item(office):
    """make_item(account, severity="major") -> an inspection-free patrol item opened through the real action."""

    def make(account, severity="major", text=None):
        post = Post.objects.create(account=account, published_at=at("2026-06-01 10:00"), title="测试内容",
                                   text=text or f"身份证号{ID_NUMBER}", source=PostSource.MANUAL)
        return actions.open_rectification(account=account, source=Source.PATROL, severity=severity,
                                          problem=f"《{post.title}》含公民身份号码", post=post,
                                          fingerprint=f"test-{post.pk}", actor="测试")

    return make

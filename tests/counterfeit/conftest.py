"""Counterfeit fixtures: uploads in a temporary media folder, a citizen using the public page, the demo case."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings

from govmedia.counterfeit.models import CounterfeitCase

QUESTION = re.compile(r'id="challenge-question">(\d+) (加|减) (\d+) 等于几？<')
TOKEN = re.compile(r'name="challenge_token" value="([^"]+)"')
FAKE = {"platform": "微信公众号", "name": "吴江人社服务中心", "url": "https://example.com/fake",
        "description": "冒用人社局名义发布社保补贴领取链接"}


@pytest.fixture(autouse=True, scope="module")
def _media(tmp_path_factory):
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


def solve(html: str) -> tuple[str, str]:
    """(answer, token) read off the public page the way a person reads the question."""
    a, op, b = QUESTION.search(html).groups()
    answer = int(a) + int(b) if op == "加" else int(a) - int(b)
    return str(answer), TOKEN.search(html).group(1)


@pytest.fixture
def citizen(client, bureau):
    """citizen(address="203.0.113.7", answer=None, **fields) -> the response to a report through the public page.

    Loads the page, answers its question (or gives ``answer``) and posts FAKE updated with ``fields``."""

    def report(address: str = "203.0.113.7", answer: str | None = None, **fields):
        page = client.get("/public/counterfeit/", REMOTE_ADDR=address).content.decode()
        right, token = solve(page)
        data = FAKE | {"challenge_answer": right if answer is None else answer, "challenge_token": token} | fields
        return client.post("/public/counterfeit/", {k: v for k, v in data.items() if v is not None},
                           REMOTE_ADDR=address)

    return report


@pytest.fixture
def demo_case(bureau) -> CounterfeitCase:
    """The demo's waiting report: 微信公众号「吴江人社服务号」."""
    return CounterfeitCase.objects.get(name="吴江人社服务号")


@pytest.fixture
def api(client, bureau):
    from jsonapi import Api

    from govmedia.org.actions import issue_token

    def as_(person=None):
        return Api(client, issue_token(person, actor="测试") if person is not None else None)

    return as_

"""An account's update state (第六条) at its boundary instants, as GET /api/v1/accounts/{id} reports it."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.utils import timezone

from govmedia.monitoring import actions
from govmedia.monitoring.models import PostSource
from govmedia.monitoring.updates import UpdateStatus, status_for, update_of
from govmedia.registry import actions as registry
from govmedia.registry.models import EventKind, today

DAY = timedelta(days=1)


@pytest.fixture
def posted(quiet, office):
    """quiet with one post at a fixed instant; returns that instant."""
    moment = (timezone.now() - 30 * DAY).replace(microsecond=0)
    actions.record_post(account=quiet, published_at=moment, title="就业政策问答", source=PostSource.MANUAL,
                        actor=office)
    return moment


def _update(api, person, account) -> dict:
    response = api(person).get(f"/accounts/{account.pk}")
    assert response.status_code == 200
    return response.json()["update"]


@pytest.mark.parametrize(("age", "expected"), [
    (3 * DAY, "ok"),
    (6 * DAY, "due"),
    (10 * DAY, "overdue"),
    (20 * DAY, "veto"),
    (100 * DAY, "dormant"),
])
def test_the_api_reports_the_state_of_a_running_account_by_the_age_of_its_last_post(
        api, clerk, quiet, posted, age, expected):
    with time_machine.travel(posted + age, tick=False):
        update = _update(api, clerk, quiet)

    assert update["status"] == expected
    assert datetime.fromisoformat(update["last_post_at"]) == posted
    assert datetime.fromisoformat(update["due_at"]) == posted + 7 * DAY


@pytest.mark.parametrize(("age", "expected"), [
    (5 * DAY - timedelta(seconds=1), UpdateStatus.OK),
    (5 * DAY, UpdateStatus.DUE),                             # due within 2 days
    (7 * DAY, UpdateStatus.DUE),                             # exactly a week: still in time
    (7 * DAY + timedelta(seconds=1), UpdateStatus.OVERDUE),
    (14 * DAY - timedelta(seconds=1), UpdateStatus.OVERDUE),
    (14 * DAY, UpdateStatus.VETO),                           # two weeks: the national indicator's single veto
    (90 * DAY - timedelta(seconds=1), UpdateStatus.VETO),
    (90 * DAY, UpdateStatus.DORMANT),
])
def test_each_boundary_instant_falls_on_the_side_policy_says(api, clerk, quiet, posted, age, expected):
    with time_machine.travel(posted + age, tick=False):
        assert _update(api, clerk, quiet)["status"] == expected.value
        assert update_of(quiet).status == expected
    assert status_for(posted, posted + age) == expected


def test_a_newer_post_resets_the_clock(api, clerk, office, quiet, posted):
    with time_machine.travel(posted + 10 * DAY, tick=False):
        actions.record_post(account=quiet, published_at=timezone.now() - timedelta(hours=1), title="新的一篇",
                            source=PostSource.MANUAL, actor=office)
        update = _update(api, clerk, quiet)

    assert update["status"] == "ok"
    assert datetime.fromisoformat(update["due_at"]) == posted + 10 * DAY - timedelta(hours=1) + 7 * DAY


def test_an_account_that_never_posted_counts_from_its_opening(api, clerk, quiet):
    opened = timezone.make_aware(datetime.combine(quiet.opened_on, time.min))

    update = _update(api, clerk, quiet)

    assert update["last_post_at"] is None
    assert update["status"] == "dormant"  # opened 1000 days ago, silent since
    assert datetime.fromisoformat(update["due_at"]) == opened + 7 * DAY


def test_a_closed_account_has_no_update_duty(api, clerk, office, quiet, posted):
    registry.record_event(quiet, kind=EventKind.CLOSE, effective_date=today() - DAY, notice="停更公告：本账号停止更新",
                          actor=office)

    update = _update(api, clerk, quiet)

    assert update == {"last_post_at": update["last_post_at"], "status": None, "due_at": None}
    assert datetime.fromisoformat(update["last_post_at"]) == posted


def test_the_annotated_last_post_gives_the_same_answer_as_the_lookup(quiet, posted):
    from govmedia.monitoring.updates import with_last_post
    from govmedia.registry.models import Account

    annotated = with_last_post(Account.objects.filter(pk=quiet.pk)).get()

    assert annotated.last_post_at == posted
    assert update_of(annotated) == update_of(quiet)

"""Two reviewers deciding the same level at the same moment: exactly one decision counts (第八条).

The race needs real concurrent transactions, so it runs on PostgreSQL only; the database constraint behind it is
checked on both databases.
"""

from __future__ import annotations

import threading

import pytest
from django.db import IntegrityError, connection, transaction

from govmedia.publishing import actions
from govmedia.publishing.actions import PublishingError
from govmedia.publishing.models import Decision, Draft, Stage
from govmedia.registry.models import Account


def _draft_at_second_review(bureau) -> Draft:
    account = Account.objects.get(platform__name="微信公众号", unit=bureau["clerk"].unit)
    draft = actions.create_draft(accounts=[account], title="2026年度就业补贴申领指南", actor=bureau["clerk"],
                                 body="<p>符合条件的人员可申领。</p>")
    actions.submit_draft(draft, actor=bureau["clerk"])
    actions.decide(draft, verdict="approve", actor=bureau["clerk2"])
    return draft


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="SQLite serialises every write transaction, so two decisions cannot race there")
@pytest.mark.django_db(transaction=True)
def test_two_section_heads_approving_second_review_at_once_leave_exactly_one_decision(bureau):
    draft = _draft_at_second_review(bureau)
    start = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def review(username: str) -> None:
        try:
            start.wait(timeout=10)
            outcomes[username] = actions.decide(Draft.objects.get(pk=draft.pk), verdict="approve",
                                                stage=Stage.SECOND, actor=bureau[username])
        except (PublishingError, IntegrityError) as exc:
            outcomes[username] = exc
        finally:
            connection.close()  # each thread has its own connection; leave none open for the flush

    threads = [threading.Thread(target=review, args=(name,)) for name in ("chief", "deputy")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    decisions = list(Decision.objects.filter(submission__draft=draft).values_list("stage", "actor__username"))
    winners = [name for name, outcome in outcomes.items() if isinstance(outcome, Decision)]
    losers = [outcome for outcome in outcomes.values() if not isinstance(outcome, Decision)]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    assert decisions == [("first", "clerk2"), ("second", winners[0])]
    loser = losers[0]
    assert isinstance(loser, IntegrityError) or (loser.code, loser.message) == ("conflict", "复审已由他人处理，请刷新后查看")


def test_the_database_refuses_a_second_decision_for_the_same_submission_and_level(bureau):
    draft = _draft_at_second_review(bureau)
    submission = draft.submissions.get()

    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.create(submission=submission, stage=Stage.FIRST, verdict="approve", actor=bureau["chief"])

    assert list(Decision.objects.filter(submission=submission).values_list("stage", "actor__username")) == [
        ("first", "clerk2")]

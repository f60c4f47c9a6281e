"""The auditor's read-only audit page: who sees it, its filters, and that nothing edits the log."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import URLResolver, get_resolver

from govmedia.api.urls import api
from govmedia.audit import urls as audit_urls
from govmedia.audit.events import EventType
from govmedia.audit.models import AuditEvent
from govmedia.registry import actions

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _shown(response) -> list[AuditEvent]:
    return list(response.context["page"].paginator.object_list)


def _snapshot() -> list[tuple]:
    return list(AuditEvent.objects.order_by("seq").values_list("seq", "actor_name", "object_repr", "hash"))


def test_the_auditor_sees_the_log_newest_first(signed_in, auditor):
    response = signed_in(auditor).get("/audit/")
    assert response.status_code == 200
    seqs = [row.seq for row in response.context["page"]]
    assert seqs == sorted(seqs, reverse=True)
    assert seqs[0] == AuditEvent.objects.order_by("-seq").first().seq
    assert "审计日志" in response.content.decode()


def test_the_auditor_filters_by_event_type(signed_in, auditor):
    client = signed_in(auditor)
    shown = _shown(client.get(f"/audit/?type={int(EventType.ACCOUNT_REGISTERED)}"))
    assert len(shown) == AuditEvent.objects.filter(event_type=EventType.ACCOUNT_REGISTERED).count() == 6
    assert {row.event_type for row in shown} == {EventType.ACCOUNT_REGISTERED}


def test_the_auditor_filters_by_actor(signed_in, auditor):
    shown = _shown(signed_in(auditor).get("/audit/?actor=office"))
    assert shown
    assert all("office" in row.actor_name for row in shown)
    assert len(shown) == AuditEvent.objects.filter(actor_name__icontains="office").count()
    assert len(shown) < AuditEvent.objects.count()


def test_the_auditor_filters_by_object(signed_in, auditor):
    shown = _shown(signed_in(auditor).get("/audit/", {"object": "吴江人社视频号"}))
    assert [EventType(row.event_type) for row in reversed(shown)] == [
        EventType.ACCOUNT_REGISTERED, EventType.ACCOUNT_OPENED, EventType.ACCOUNT_CHANGED]


def test_the_auditor_filters_by_a_date_range_of_whole_days_in_shanghai(signed_in, auditor, office):
    for name, instant in [
        ("平台甲", datetime(2025, 12, 31, 23, 59, 59, tzinfo=SHANGHAI)),
        ("平台乙", datetime(2026, 1, 1, 0, 0, 0, tzinfo=SHANGHAI)),
        ("平台丙", datetime(2026, 1, 31, 23, 59, 59, tzinfo=SHANGHAI)),
        ("平台丁", datetime(2026, 2, 1, 0, 0, 0, tzinfo=SHANGHAI)),
    ]:
        with time_machine.travel(instant, tick=False):
            actions.add_platform(name=name, actor=office)
    shown = _shown(signed_in(auditor).get("/audit/?from=2026-01-01&to=2026-01-31"))
    assert sorted(row.object_repr for row in shown) == ["平台丙", "平台乙"]


@pytest.mark.parametrize("persona", ["office", "clerk", "chief", "director", "vendor", "staff1"])
def test_nobody_but_the_auditor_may_see_the_log(signed_in, bureau, persona):
    assert signed_in(bureau[persona]).get("/audit/").status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(client, db):
    response = client.get("/audit/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/audit/"


def test_posting_to_the_audit_page_changes_nothing(signed_in, auditor):
    client = signed_in(auditor)
    before = _snapshot()
    client.post("/audit/", {"seq": before[0][0], "actor_name": "攻击者", "delete": "1", "_method": "DELETE"})
    client.generic("DELETE", "/audit/")
    client.generic("PUT", "/audit/", "actor_name=x")
    assert _snapshot() == before


def _routes(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


def test_no_page_edits_or_deletes_audit_rows(db):
    assert [p.name for p in audit_urls.urlpatterns] == ["audit_list"]
    pages = [route for route in _routes(get_resolver().url_patterns) if not route.startswith("api/")]
    assert [route for route in pages if "audit" in route] == ["audit/"]


def test_the_api_offers_no_way_to_change_audit_rows(db):
    paths = api.get_openapi_schema()["paths"]
    methods = {method for path, ops in paths.items() if "audit" in path for method in ops}
    assert methods <= {"get"}

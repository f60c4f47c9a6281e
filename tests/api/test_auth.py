from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from govmedia.audit.events import EventType
from govmedia.audit.models import AuditEvent


def test_a_request_without_a_token_is_refused_with_401(api):
    response = api().get("/accounts")

    assert response.status_code == 401
    assert response.json() == {"detail": "未登录或令牌无效"}
    assert response["WWW-Authenticate"] == "Bearer"


def test_a_request_with_an_unknown_token_is_refused_with_401(api, client):
    response = client.get("/api/v1/accounts", headers={"Authorization": "Bearer gm_not-a-real-token"})

    assert response.status_code == 401
    assert response.json() == {"detail": "未登录或令牌无效"}


def test_a_signed_in_browser_session_is_not_enough_without_a_token(signed_in, clerk):
    client = signed_in(clerk)

    assert client.get("/api/v1/accounts").status_code == 401


def test_the_token_command_prints_a_token_that_works(bureau, client, clerk):
    out = StringIO()

    call_command("token", "clerk", stdout=out)

    token = out.getvalue().strip()
    response = client.get("/api/v1/units", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert [unit["name"] for unit in response.json()] == [clerk.unit.name]
    issued = AuditEvent.objects.filter(event_type=EventType.TOKEN_ISSUED, object_id=str(clerk.pk)).get()
    assert issued.actor_name == "命令行"
    assert token not in str(issued.after)  # only the prefix is kept


def test_the_token_command_refuses_an_unknown_user(bureau):
    with pytest.raises(CommandError, match="不存在"):
        call_command("token", "nobody", stdout=StringIO())


def test_the_openapi_schema_lists_every_endpoint(client, db):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    assert set(paths) == {
        "/api/v1/units", "/api/v1/platforms", "/api/v1/accounts", "/api/v1/accounts/{account_id}",
        "/api/v1/accounts/{account_id}/events", "/api/v1/filings", "/api/v1/filings/{filing_id}/complete",
        "/api/v1/public/accounts",
        "/api/v1/drafts", "/api/v1/drafts/{draft_id}", "/api/v1/drafts/{draft_id}/submit",
        "/api/v1/drafts/{draft_id}/decisions", "/api/v1/drafts/{draft_id}/publications", "/api/v1/directives",
        # monitoring, patrols and inspections (issue 5)
        "/api/v1/posts", "/api/v1/interactions", "/api/v1/interactions/{interaction_id}/reply",
        "/api/v1/rectifications", "/api/v1/rectifications/{item_id}", "/api/v1/rectifications/{item_id}/answer",
        "/api/v1/rectifications/{item_id}/accept", "/api/v1/rectifications/{item_id}/reopen",
        # account security, people, vendors, counterfeits, incidents (issue 6)
        "/api/v1/accounts/{account_id}/credential-rotations", "/api/v1/accounts/{account_id}/custodian",
        "/api/v1/people/{username}/clearance", "/api/v1/people/{username}/departure", "/api/v1/handover-tasks",
        "/api/v1/handover-tasks/{task_id}/close", "/api/v1/vendors", "/api/v1/counterfeit-cases",
        "/api/v1/counterfeit-cases/{case_id}", "/api/v1/public/counterfeit-reports", "/api/v1/incidents",
        "/api/v1/incidents/{incident_id}",
    }
    assert "security" not in paths["/api/v1/public/counterfeit-reports"]["post"]
    assert "security" not in paths["/api/v1/public/accounts"]["get"]
    assert paths["/api/v1/accounts"]["post"]["security"] == [{"BearerToken": []}]

"""三权分立: system administrator, security administrator and auditor are three people; no superuser."""

from __future__ import annotations

import pytest
from django.core.checks import run_checks
from django.core.management import call_command
from django.core.management.base import CommandError

from govmedia.audit.events import EventType
from govmedia.org.actions import SeparationOfDutiesError, grant_role
from govmedia.org.models import Person, Role

SEPARATED = (Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR)


def test_the_demo_gives_the_three_roles_to_three_people(bureau):
    holders = {role: {p.username for p in bureau.values() if p.has_role(role)} for role in SEPARATED}
    assert holders == {Role.SYSADMIN: {"sysadmin"}, Role.SECADMIN: {"secadmin"}, Role.AUDITOR: {"auditor"}}


@pytest.mark.parametrize("holder", ["sysadmin", "secadmin", "auditor"])
@pytest.mark.parametrize("role", SEPARATED)
def test_nobody_holding_one_of_the_three_roles_is_given_another(bureau, office, audit, holder, role):
    person = bureau[holder]
    held = next(r for r in SEPARATED if person.has_role(r))
    if role == held:
        assert grant_role(person, role, actor=office) is False  # holding it again changes nothing
        return
    audit.mark()
    with pytest.raises(SeparationOfDutiesError) as refused:
        grant_role(person, role, actor=office)
    assert str(refused.value) == (
        f"三权分立：系统管理员、安全管理员和审计员须由不同人员担任，「{person.full_name}」已是{held.label}，"
        f"不能再授予{role.label}")
    assert audit.new() == []
    assert set(Person.objects.get(pk=person.pk).roles) == {held}


def test_other_roles_may_be_held_beside_one_of_the_three(bureau, office, audit):
    clerk2 = bureau["clerk2"]
    audit.mark()
    assert grant_role(clerk2, Role.SYSADMIN, actor=office) is True
    assert audit.new() == [EventType.ROLE_GRANTED]
    with pytest.raises(SeparationOfDutiesError):
        grant_role(clerk2, Role.AUDITOR, actor=office)
    assert set(Person.objects.get(pk=clerk2.pk).roles) == {Role.CLERK, Role.SYSADMIN}


def _superuser_errors():
    return [m for m in run_checks(include_deployment_checks=True) if m.id == "govmedia.E001"]


def test_the_deployment_check_passes_without_a_superuser(bureau):
    assert _superuser_errors() == []


def test_the_deployment_check_fails_while_an_active_superuser_exists(bureau):
    Person.objects.filter(username="clerk2").update(is_superuser=True)
    [error] = _superuser_errors()
    assert error.is_serious()
    assert "存在超级用户：clerk2" in error.msg and "三权分立" in error.msg
    Person.objects.filter(username="clerk2").update(is_active=False)
    assert _superuser_errors() == []


def test_the_check_is_a_deployment_check_only(bureau):
    Person.objects.filter(username="clerk2").update(is_superuser=True)
    assert [m for m in run_checks() if m.id == "govmedia.E001"] == []


def test_createsuperuser_refuses_and_creates_nobody(db):
    before = Person.objects.count()
    with pytest.raises(CommandError, match="本平台不设超级用户"):
        call_command("createsuperuser", "--noinput", "--username", "root", "--email", "root@example.gov.cn")
    assert Person.objects.count() == before
    assert not Person.objects.filter(is_superuser=True).exists()

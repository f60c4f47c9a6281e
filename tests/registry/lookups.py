"""Demo-bureau lookups and opening evidence shared by the registry tests."""

from govmedia.demo import BUREAU, INSTITUTIONS
from govmedia.org.models import Unit
from govmedia.registry.models import Account, Platform

INSPECTORATE, TALENT_CENTRE = (name for name, _ in INSTITUTIONS)
EVIDENCE = {
    "managing_body": "局办公室为管理机构（吴人社〔2023〕12号）",
    "trained_staff": "专职信息员2名，已完成岗前培训",
    "funding": "年度部门预算列支运维经费",
    "rules": "《政务新媒体管理制度》",
}
FORM_EVIDENCE = {f"pre_{key}": value for key, value in EVIDENCE.items()}  # as the opening form names them


def _unit(name: str = BUREAU) -> Unit:
    return Unit.objects.get(name=name)


def _platform(name: str) -> Platform:
    return Platform.objects.get(name=name)


def _account(name: str, platform: str) -> Account:
    return Account.objects.get(name=name, platform__name=platform)

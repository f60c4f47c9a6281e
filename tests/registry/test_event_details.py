from datetime import date

from govmedia.registry import actions
from govmedia.registry.models import Account, EventKind


def test_a_change_is_shown_with_chinese_labels_and_old_and_new_values(bureau, office, signed_in):
    account = Account.objects.get(platform__name="新浪微博", unit=office.unit)
    event = actions.record_event(account, kind=EventKind.CHANGE, effective_date=date(2026, 9, 30),
                                 changes={"name": "吴江人社发布"}, actor=office)
    assert event.detail_lines() == [("账号名称", "吴江人社 → 吴江人社发布")]
    page = signed_in(office).get(f"/accounts/{account.pk}/").content.decode()
    assert "账号名称：吴江人社 → 吴江人社发布" in page

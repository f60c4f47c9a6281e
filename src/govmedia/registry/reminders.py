"""Daily reminders of filings due soon or overdue (第三条), by e-mail to the people who can file them."""

from __future__ import annotations

from collections import defaultdict

from django.core.mail import send_mail

from govmedia import policy
from govmedia.org.access import REGISTRY_EDITORS
from govmedia.org.models import Person, Role
from govmedia.registry.models import Filing, today


def filing_reminders() -> dict[str, list[Filing]]:
    """Who should hear about which filings: the unit's registry editors and the lead office."""
    on = today()
    filings = list(Filing.objects.needing_attention(on).select_related("event__account__unit", "event__account__platform"))
    if not filings:
        return {}
    recipients: dict[str, list[Filing]] = defaultdict(list)
    people = list(Person.objects.filter(is_active=True).exclude(email="").prefetch_related("role_grants"))
    for person in people:
        office = person.has_role(Role.OFFICE)
        for filing in filings:
            if office or (person.unit_id == filing.event.account.unit_id and person.has_role(*REGISTRY_EDITORS)):
                recipients[person.email].append(filing)
    return recipients


def send_filing_reminders() -> int:
    """Send one message per person; returns the number of messages sent."""
    on = today()
    sent = 0
    for email, filings in filing_reminders().items():
        lines = [
            f"· {f.event.account}（{f.event.account.unit.name}）{f.event.get_kind_display()}，"
            f"备案截止{f.due_date:%Y-%m-%d}{'（暂定）' if f.due_provisional else ''}：{f.status(on).label}"
            for f in filings
        ]
        body = f"以下政务新媒体变动事项须在{policy.FILING_WORKDAYS}个工作日内到省政务新媒体备案检查系统备案（第三条）：\n\n" + "\n".join(lines)
        sent += send_mail(f"【备案提醒】{len(filings)}项备案即将到期或已逾期", body, None, [email])
    return sent

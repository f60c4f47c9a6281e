"""How an update state reads wherever it is shown: label, colour, order of severity (page, charts, files)."""

from __future__ import annotations

from govmedia.monitoring.updates import UpdateStatus

ORDER = [UpdateStatus.OK, UpdateStatus.DUE, UpdateStatus.OVERDUE, UpdateStatus.VETO, UpdateStatus.DORMANT]
SEVERITY = {status.value: i for i, status in enumerate(ORDER)}
# Bootstrap's own colours, as monitoring's badge (templates/monitoring/_update_badge.html) uses them, so a state
# looks the same on every page, chart and file.
COLORS = {
    UpdateStatus.OK.value: "#198754",       # success
    UpdateStatus.DUE.value: "#ffc107",      # warning
    UpdateStatus.OVERDUE.value: "#dc3545",  # danger
    UpdateStatus.VETO.value: "#212529",     # dark
    UpdateStatus.DORMANT.value: "#6c757d",  # secondary
}
TEXT_COLORS = {UpdateStatus.DUE.value: "#212529"}  # dark text on amber; white elsewhere
LABELS = {status.value: status.label for status in ORDER}
# Compliant with the weekly update of 第六条 (still within the week, even when it ends soon).
COMPLIANT = (UpdateStatus.OK.value, UpdateStatus.DUE.value)


def choices() -> list[dict]:
    return [{"value": s.value, "label": s.label, "color": COLORS[s.value],
             "text": TEXT_COLORS.get(s.value, "#ffffff")} for s in ORDER]


def compliance_rate(counts: dict[str, int]) -> float | None:
    """The share of accounts within the weekly update, as a percentage; None when there is no account."""
    total = sum(counts.get(s.value, 0) for s in ORDER)
    if not total:
        return None
    return round(100 * sum(counts.get(code, 0) for code in COMPLIANT) / total, 1)

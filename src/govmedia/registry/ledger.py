"""The ledger (台账) as .xlsx: export, a blank template, and an all-or-nothing import. (being written)"""

COLUMNS: list[tuple[str, str]] = []


def export_accounts(qs, *, actor) -> bytes:
    raise NotImplementedError


def template_workbook() -> bytes:
    raise NotImplementedError


def import_accounts(file, *, actor):
    raise NotImplementedError

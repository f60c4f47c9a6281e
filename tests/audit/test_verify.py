"""The audit log is append-only and hash-chained: `govmedia audit verify` finds every change an attacker makes."""

from __future__ import annotations

import importlib
from contextlib import contextmanager
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, models, transaction

from govmedia.audit.events import EventType
from govmedia.audit.models import AuditEvent, ChainHead

TRIGGERS = importlib.import_module("govmedia.audit.migrations.0002_append_only_triggers")


def _verify() -> tuple[int, str, list[str]]:
    """Run `govmedia audit verify`; return (exit code, stdout, the problem lines on stderr)."""
    out, err = StringIO(), StringIO()
    try:
        call_command("audit", "verify", stdout=out, stderr=err)
    except SystemExit as exit_:
        code = exit_.code
    else:
        code = 0
    lines = [line for line in err.getvalue().splitlines() if line and not line.startswith("审计日志校验失败")]
    return code, out.getvalue(), lines


def _sql(statement: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


@contextmanager
def _trigger_disabled():
    """An attacker with direct database access switches the append-only trigger off, then on again."""
    if connection.vendor == "postgresql":
        _sql("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_no_update")
    else:
        _sql("DROP TRIGGER audit_no_update")
    try:
        yield
    finally:
        if connection.vendor == "postgresql":
            _sql("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_no_update")
        else:
            _sql(TRIGGERS.SQLITE_UP)


def _last_seq() -> int:
    return AuditEvent.objects.order_by("-seq").first().seq


def test_a_clean_chain_verifies(bureau):
    code, out, problems = _verify()
    assert (code, problems) == (0, [])
    assert f"审计日志完整：共{AuditEvent.objects.count()}条记录，哈希链无误" in out


def test_an_empty_log_verifies(db):
    code, out, problems = _verify()
    assert (code, problems) == (0, [])
    assert "审计日志完整：共0条记录" in out


def test_the_database_refuses_a_raw_update_of_an_audit_row(bureau):
    before = AuditEvent.objects.get(seq=3).actor_name
    with pytest.raises(DatabaseError), transaction.atomic():
        _sql("UPDATE audit_auditevent SET actor_name = %s WHERE seq = %s", ["攻击者", 3])
    assert AuditEvent.objects.get(seq=3).actor_name == before


def test_postgresql_also_refuses_a_raw_delete_of_an_audit_row(bureau):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no DELETE trigger (test flushes use DELETE); verify catches deletions there")
    with pytest.raises(DatabaseError), transaction.atomic():
        _sql("DELETE FROM audit_auditevent WHERE seq = %s", [3])
    assert AuditEvent.objects.filter(seq=3).exists()


def test_a_changed_row_fails_verification_naming_the_row(bureau):
    with _trigger_disabled():
        _sql("UPDATE audit_auditevent SET actor_name = %s WHERE seq = %s", ["攻击者", 5])
    code, _, problems = _verify()
    assert code == 1
    assert problems == ["第5条记录内容被修改"]


def test_a_changed_row_with_its_hash_recomputed_breaks_the_link_to_the_next_row(bureau):
    row = AuditEvent.objects.get(seq=5)
    row.actor_name = "攻击者"
    with _trigger_disabled():
        _sql("UPDATE audit_auditevent SET actor_name = %s, hash = %s WHERE seq = %s",
             ["攻击者", row.compute_hash(), 5])
    code, _, problems = _verify()
    assert code == 1
    assert problems == ["第6条记录与前一条不衔接（前后有记录被插入、删除或修改）"]


def test_a_deleted_middle_row_fails_verification_naming_the_gap(bureau):
    with _trigger_disabled():
        _sql("DELETE FROM audit_auditevent WHERE seq = %s", [7])
    code, _, problems = _verify()
    assert code == 1
    assert problems == ["第7至7条记录缺失（被删除）", "第8条记录与前一条不衔接（前后有记录被插入、删除或修改）"]


def test_a_deleted_last_row_is_caught_by_the_chain_head(bureau):
    last = _last_seq()
    with _trigger_disabled():
        _sql("DELETE FROM audit_auditevent WHERE seq = %s", [last])
    code, _, problems = _verify()
    assert code == 1
    assert problems == [f"末尾第{last}至{last}条记录缺失（被删除）"]


def test_an_inserted_row_with_a_correct_hash_is_caught_by_the_chain_head(bureau):
    last = AuditEvent.objects.order_by("-seq").first()
    forged = AuditEvent(seq=last.seq + 1, at=last.at, event_type=EventType.SIGN_IN, actor_name="攻击者",
                        prev_hash=last.hash)
    forged.hash = forged.compute_hash()
    forged.save()  # appending is what the model allows; only the chain head knows the real end
    code, _, problems = _verify()
    assert code == 1
    assert problems == [f"第{forged.seq}条记录与链头不符（记录被插入或链头被改动）"]


def test_the_chain_head_moves_with_every_row(bureau):
    head = ChainHead.objects.get()
    last = AuditEvent.objects.order_by("-seq").first()
    assert (head.seq, head.hash) == (last.seq, last.hash)


def test_the_model_refuses_to_save_an_existing_row(bureau):
    row = AuditEvent.objects.get(seq=2)
    row.actor_name = "攻击者"
    with pytest.raises(PermissionError, match="只可追加"):
        row.save()
    assert AuditEvent.objects.get(seq=2).actor_name != "攻击者"


def test_the_model_refuses_to_delete_a_row(bureau):
    with pytest.raises(PermissionError, match="不可删除"):
        AuditEvent.objects.get(seq=2).delete()
    assert AuditEvent.objects.filter(seq=2).exists()


def test_the_queryset_refuses_update_bulk_update_and_delete(bureau):
    count = AuditEvent.objects.count()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(seq__lte=3).update(actor_name="攻击者")
    rows = list(AuditEvent.objects.filter(seq__lte=3))
    for row in rows:
        row.actor_name = "攻击者"
    # bulk_update runs inside Django's own atomic block; a savepoint keeps the test's transaction usable.
    with pytest.raises(PermissionError), transaction.atomic():
        AuditEvent.objects.bulk_update(rows, ["actor_name"])
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.count() == count
    assert not AuditEvent.objects.filter(actor_name="攻击者").exists()
    assert _verify()[0] == 0


def test_a_plain_queryset_that_bypasses_the_model_is_still_refused_by_the_database(bureau):
    with pytest.raises(DatabaseError), transaction.atomic():
        models.QuerySet(model=AuditEvent).filter(seq=2).update(actor_name="攻击者")
    assert not AuditEvent.objects.filter(actor_name="攻击者").exists()

"""Checking the hash chain: every changed, inserted or deleted row is reported."""

from __future__ import annotations

from dataclasses import dataclass

from govmedia.audit.models import GENESIS, AuditEvent, ChainHead


@dataclass(frozen=True)
class Problem:
    seq: int
    message: str


def verify_chain(batch: int = 2000) -> tuple[int, list[Problem]]:
    """Walk the log in sequence order; return (rows checked, problems found)."""
    problems: list[Problem] = []
    expected_seq, prev_hash, checked = 1, GENESIS, 0
    last_seq = 0
    while True:
        rows = list(AuditEvent.objects.filter(seq__gt=last_seq).order_by("seq")[:batch])
        if not rows:
            break
        for row in rows:
            checked += 1
            if row.seq > expected_seq:
                problems.append(Problem(row.seq, f"第{expected_seq}至{row.seq - 1}条记录缺失（被删除）"))
            elif row.seq < expected_seq:
                problems.append(Problem(row.seq, f"第{row.seq}条记录重复（被插入）"))
            if row.prev_hash != prev_hash:
                problems.append(Problem(row.seq, f"第{row.seq}条记录与前一条不衔接（前后有记录被插入、删除或修改）"))
            if row.compute_hash() != row.hash:
                problems.append(Problem(row.seq, f"第{row.seq}条记录内容被修改"))
            expected_seq, prev_hash, last_seq = row.seq + 1, row.hash, row.seq
    head = ChainHead.objects.filter(pk=1).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS)
    if head_seq != last_seq or head_hash != prev_hash:
        if head_seq > last_seq:
            problems.append(Problem(head_seq, f"末尾第{last_seq + 1}至{head_seq}条记录缺失（被删除）"))
        else:
            problems.append(Problem(last_seq, f"第{last_seq}条记录与链头不符（记录被插入或链头被改动）"))
    return checked, problems

"""The append-only, hash-chained audit log.

Each row copies the actor and object as text, so history survives deletion of either. Rows are chained:
``hash = sha256(prev_hash + canonical row)``, and ``ChainHead`` holds the last sequence number and hash, so a
changed, inserted or deleted row (including the last one) is found by ``govmedia audit verify``.
"""

from __future__ import annotations

import hashlib
import json

from django.db import models

from govmedia.audit.events import EventType

GENESIS = "0" * 64


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("审计日志只可追加，不可修改")

    def delete(self):
        raise PermissionError("审计日志只可追加，不可删除")


class AuditEvent(models.Model):
    """One thing someone (or the system) did: who, what, to which object, before and after."""

    seq = models.PositiveBigIntegerField("序号", unique=True)
    at = models.DateTimeField("时间", db_index=True)
    event_type = models.PositiveSmallIntegerField("事件", choices=EventType.choices, db_index=True)
    actor_id = models.BigIntegerField("操作人编号", null=True, blank=True)
    actor_name = models.CharField("操作人", max_length=150, db_index=True)
    object_type = models.CharField("对象类型", max_length=50, blank=True)
    object_id = models.CharField("对象编号", max_length=64, blank=True)
    object_repr = models.CharField("对象", max_length=300, blank=True)
    before = models.JSONField("变更前", null=True, blank=True)
    after = models.JSONField("变更后", null=True, blank=True)
    request_id = models.CharField("请求编号", max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-seq"]
        verbose_name = "审计记录"
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]  # object history

    def __str__(self) -> str:
        return f"#{self.seq} {self.get_event_type_display()} {self.object_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("审计日志只可追加，不可修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("审计日志只可追加，不可删除")

    def canonical(self) -> str:
        """The row as hashed: every field but the hash, in a fixed order and encoding."""
        return json.dumps(
            [
                self.seq,
                self.at.isoformat(timespec="microseconds"),
                self.event_type,
                self.actor_id,
                self.actor_name,
                self.object_type,
                self.object_id,
                self.object_repr,
                self.before,
                self.after,
                self.request_id,
                self.prev_hash,
            ],
            ensure_ascii=False,
            sort_keys=True,
            separators=(",", ":"),
        )

    def compute_hash(self) -> str:
        return hashlib.sha256(self.canonical().encode()).hexdigest()


class ChainHead(models.Model):
    """The single row holding the chain's end; locked while a row is appended."""

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS)

    class Meta:
        verbose_name = "审计链头"

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash[:12]}"

"""Writing to the audit log. Every action calls ``record`` inside its own transaction."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from govmedia.audit import context
from govmedia.audit.events import EventType
from govmedia.audit.models import AuditEvent, ChainHead

SYSTEM = "系统"


def _plain(value: Any) -> Any:
    """JSON as it will read back from the database, so the hash is computed on the stored form."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def actor_label(actor: Any) -> tuple[int | None, str]:
    if actor is None:
        return None, SYSTEM
    if isinstance(actor, str):
        return None, actor
    name = getattr(actor, "full_name", "") or ""
    return actor.pk, f"{actor.get_username()}（{name}）" if name else actor.get_username()


def record(
    event_type: EventType,
    *,
    actor: Any,
    obj: models.Model | None = None,
    object_repr: str = "",
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEvent:
    """Append one row to the chain, in the caller's transaction (or a new one)."""
    actor_id, actor_name = actor_label(actor)
    with transaction.atomic():
        head, _ = ChainHead.objects.select_for_update().get_or_create(pk=1)
        row = AuditEvent(
            seq=head.seq + 1,
            at=timezone.now(),
            event_type=int(event_type),
            actor_id=actor_id,
            actor_name=actor_name[:150],
            object_type=obj._meta.model_name if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
            object_repr=(object_repr or (str(obj) if obj is not None else ""))[:300],
            before=_plain(before),
            after=_plain(after),
            request_id=context.request_id.get(),
            prev_hash=head.hash,
        )
        row.hash = row.compute_hash()
        row.save()
        head.seq, head.hash = row.seq, row.hash
        head.save(update_fields=["seq", "hash"])
    return row

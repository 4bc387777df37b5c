"""Wagtail's own log of page and model actions (报告 → 站点历史) joined to the audit chain: each
entry Wagtail writes is recorded as a 内容操作 event carrying a hash of the entry, so that an entry
deleted or altered afterwards in Wagtail's tables is named by `manage.py verify_audit`
(security/audit_verify.py).

Wagtail itself later sets `deleted` on the entries of a deleted page, and Django empties
`content_type` when a model's type is removed; those two columns are left out of the hash, and
everything else Wagtail wrote is in it.
"""

import hashlib
import json

from wagtail.models import ModelLogEntry, PageLogEntry

from security import audit

LOGS = {"page": PageLogEntry, "model": ModelLogEntry}


def entry_hash(entry):
    fields = [
        entry.pk,
        entry.label,
        entry.action,
        entry.data,
        entry.timestamp.isoformat(timespec="microseconds"),
        str(entry.uuid) if entry.uuid else None,
        entry.user_id,
        entry.revision_id,
        entry.content_changed,
        entry.page_id if isinstance(entry, PageLogEntry) else entry.object_id,
    ]
    text = json.dumps(
        fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str
    )
    return hashlib.sha256(text.encode()).hexdigest()


def logged(sender, instance, created, raw=False, **kwargs):
    """post_save of PageLogEntry and ModelLogEntry (security/signal_handlers.py)."""
    if not created or raw:
        return
    log = "page" if sender is PageLogEntry else "model"
    # Hashed as the database keeps it, which is how verify_audit will read it (a value in `data`
    # may be written in another form than the one it had in memory).
    stored = sender.objects.get(pk=instance.pk)
    audit.record(
        "content_action",
        obj=instance.label,
        detail=json.dumps(
            {"log": log, "id": instance.pk, "action": instance.action, "hash": entry_hash(stored)},
            ensure_ascii=False,
        ),
        user=instance.user,
    )

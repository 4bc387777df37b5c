"""Checks the audit chain (security/audit.py) and the Wagtail log entries joined to it
(security/content_log.py), and says where it first breaks: a record whose link does not match its
content or the record before it, a missing record, a chain head that is not the newest record,
and a Wagtail log entry deleted or changed since it was recorded.
"""

import json
from dataclasses import dataclass

from security import audit, content_log

BATCH = 2000


@dataclass
class Break:
    sequence: int
    reason: str

    def __str__(self):
        return f"第 {self.sequence} 条：{self.reason}"


def _wagtail_entry_break(event):
    try:
        joined = json.loads(event.detail)
        log = content_log.LOGS[joined["log"]]
        entry_id, expected = joined["id"], joined["hash"]
    except (ValueError, KeyError, TypeError):
        return "内容操作记录的详情无法读取"
    entry = log.objects.filter(pk=entry_id).first()
    if entry is None:
        return f"它记下的 Wagtail 日志（{joined['log']} #{entry_id}）已被删除"
    if content_log.entry_hash(entry) != expected:
        return f"它记下的 Wagtail 日志（{joined['log']} #{entry_id}）已被修改"
    return None


def first_break():
    """The first broken link, or None when the whole chain holds."""
    key = audit.chain_key()
    previous = None
    after = 0
    while True:
        batch = list(
            audit.SecurityEvent.objects.filter(sequence__gt=after).order_by("sequence")[:BATCH]
        )
        for event in batch:
            if previous is not None:
                if event.sequence != previous.sequence + 1:
                    return Break(previous.sequence + 1, "记录缺失（已被删除）")
                if event.previous != previous.digest:
                    return Break(event.sequence, "与上一条记录的链接不符")
            if event.expected_digest(key) != event.digest:
                return Break(event.sequence, "内容与校验值不符（已被修改）")
            if event.event == "content_action":
                reason = _wagtail_entry_break(event)
                if reason:
                    return Break(event.sequence, reason)
            previous = event
        if len(batch) < BATCH:
            break
        after = batch[-1].sequence
    head = audit.AuditChain.objects.filter(pk=1).first()
    newest = previous.sequence if previous else 0
    if head is not None and head.length != newest:
        return Break(
            newest + 1, f"链首记有 {head.length} 条，表中最后一条是第 {newest} 条（末尾记录缺失）"
        )
    if head is not None and previous is not None and head.digest != previous.digest:
        return Break(newest, "链首的校验值与最后一条记录不符")
    return None


def count():
    return audit.SecurityEvent.objects.count()

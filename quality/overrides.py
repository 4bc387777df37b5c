"""A reviewer lets a 规范表述 finding through on one page, snippet or reply, with a written reason:
the record (quality/word_lists.py's StandardOverride) makes later checks of the object accept that
wrong form with those words around it, and the decision goes to the object's history and from
there to the audit chain."""

from django.core.exceptions import ValidationError
from django.db import transaction
from wagtail.log_actions import log

from core.content_gate import STANDARD
from quality import page_texts
from quality.word_lists import WORD_LENGTH, StandardOverride, object_reference, override_key

LET_THROUGH = "quality.let_through"
ACTIONS = {LET_THROUGH: "放行规范表述"}


def let_through(obj, finding, reason, user):
    """Record and log the reviewer's decision on `finding` (a 规范表述 Finding of `obj`)."""
    reason = (reason or "").strip()
    if finding.kind != STANDARD:
        raise ValidationError("只有规范表述可以放行。")
    if not reason:
        raise ValidationError("请写明放行的理由。")
    content_type, object_id = object_reference(obj)
    word, context = override_key(finding)
    with transaction.atomic():
        override = StandardOverride.objects.create(
            site_id=page_texts.site_id_of(page_texts.site_of(obj)),
            content_type=content_type,
            object_id=object_id,
            word=word,
            right=finding.right[:WORD_LENGTH],
            context=context,
            reason=reason,
            user=user,
        )
        log(
            instance=obj,
            action=LET_THROUGH,
            user=user,
            data={
                "word": finding.word,
                "right": finding.right,
                "where": finding.where,
                "context": finding.context,
                "reason": reason,
            },
        )
    return override

"""A checker for the tests of where the 错敏词 check runs (core/content_gate.py names it through
CONTENT_CHECKER): its words are set by each test, and it finds them by plain search in the texts
the gates hand it, so that those tests prove the gates and not the matching (tests of the lists
and the matching use quality/checking.py itself)."""

from core.content_gate import BANNED, STANDARD, TYPO, Finding, Verdict
from core.richtext import plain_text

PATH = "tests.quality.gate_checker.GateChecker"
# {word: (kind, right)}, set by the `words` fixture.
WORDS = {}
# {(model label, pk, word): reason}: the overrides recorded.
OVERRIDES = {}


def texts_of_stream(stream, field, where):
    for index, child in enumerate(stream):
        path = f"{field}-{index}"
        value = child.value
        if child.block_type in ("paragraph", "document_title", "signature"):
            text = plain_text(value.source) if hasattr(value, "source") else str(value)
            yield (f"{where} › 第 {index + 1} 块", path, text)
        elif child.block_type in ("section", "subsection"):
            for name in ("label", "title", "heading"):
                if name in value:
                    yield (f"{where} › 第 {index + 1} 块", f"{path}-value-{name}", value[name])
            yield from texts_of_stream(
                value["body"], f"{path}-value-body", f"{where} › 第 {index + 1} 块"
            )
        elif child.block_type == "image":
            yield (f"{where} › 图片说明", f"{path}-value-caption", value["caption"])


def texts_of(obj):
    if hasattr(obj, "address"):  # the contact details
        yield ("单位名称", "name", obj.name)
        yield ("地址", "address", obj.address)
        return
    yield ("标题", "title", obj.title)
    for name, label in (("summary", "摘要"), ("source", "来源"), ("tag", "专题标签")):
        if hasattr(obj, name):
            yield (label, name, getattr(obj, name))
    if hasattr(obj, "body"):
        yield from texts_of_stream(obj.body, "body", "正文")
    if hasattr(obj, "attachments"):
        for index, attachment in enumerate(obj.attachments.all()):
            yield (f"附件 {index + 1}", f"attachments-{index}-title", attachment.title)


class GateChecker:
    @staticmethod
    def check_texts(site, texts, obj=None):
        findings = []
        for where, field, text in texts:
            for word, (kind, right) in WORDS.items():
                if word and word in (text or ""):
                    kept = obj is not None and (obj._meta.label, obj.pk, word) in OVERRIDES
                    blocks = kind == BANNED or (kind == STANDARD and not kept)
                    findings.append(Finding(kind, word, right, where, field, text, blocks))
        return Verdict(findings)

    @classmethod
    def check_object(cls, obj, revision=None):
        if revision is not None:
            obj = revision.as_object()
        return cls.check_texts(None, list(texts_of(obj)), obj)

    @staticmethod
    def record_override(obj, findings, user, reason):
        for finding in findings:
            OVERRIDES[(obj._meta.label, obj.pk, finding.word)] = reason


def set_words(banned=(), standard=None, typo=None):
    WORDS.clear()
    OVERRIDES.clear()
    WORDS.update(dict.fromkeys(banned, (BANNED, "")))
    WORDS.update({word: (STANDARD, right) for word, right in (standard or {}).items()})
    WORDS.update({word: (TYPO, right) for word, right in (typo or {}).items()})

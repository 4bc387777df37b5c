"""The 错敏词 check as the publishing code meets it. Whatever publishes a text for readers (an
article or 专题 page, the contact details, a 互动交流 reply) asks here before it does; the lists and
the matching live in quality/ (quality/checking.py), named by CONTENT_CHECKER, so that news,
contact and interaction need not import the app that imports them. With CONTENT_CHECKER empty,
nothing is refused.

A Finding says where a listed word was found and what to do about it: a 禁用词 blocks, a 规范表述
blocks unless a reviewer overrides it with a written reason, an 易错词 only warns.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.module_loading import import_string

BANNED, STANDARD, TYPO = "banned", "standard", "typo"
KIND_NAMES = {BANNED: "禁用词", STANDARD: "规范表述", TYPO: "易错词"}


@dataclass(frozen=True)
class Finding:
    kind: str
    # The listed form as it stands in the text, and the right form (规范表述, 易错词) or "".
    word: str
    right: str
    # Where a reader sees it, in words ("正文 › 议程一 › 小节 2"), and the form field or block path
    # an editor's form places it beside ("title", "body-2-value-sections-1").
    where: str
    field: str
    # The words around it, the finding included.
    context: str
    # Whether it stops publishing: a 禁用词, or a 规范表述 no reviewer has overridden.
    blocks: bool

    @property
    def kind_name(self):
        return KIND_NAMES[self.kind]


@dataclass
class Verdict:
    findings: list = field(default_factory=list)

    @property
    def blocking(self):
        return [finding for finding in self.findings if finding.blocks]

    @property
    def warnings(self):
        return [finding for finding in self.findings if not finding.blocks]

    def __bool__(self):
        """True when nothing blocks."""
        return not self.blocking


class ContentBlocked(Exception):
    """Raised by refuse_if_blocked: the text may not go out."""

    def __init__(self, verdict):
        self.verdict = verdict
        words = "、".join(f"“{finding.word}”" for finding in verdict.blocking)
        super().__init__(f"含有不得发布的词语：{words}")


def checker():
    path = getattr(settings, "CONTENT_CHECKER", "")
    return import_string(path) if path else None


def check_object(obj, revision=None):
    """The Verdict on what a page, a snippet or a reply shows readers (its revision's content when
    one is given)."""
    check = checker()
    return check.check_object(obj, revision=revision) if check else Verdict()


def check_texts(site, texts):
    """The Verdict on (where, field, text) triples shown on `site`."""
    check = checker()
    return check.check_texts(site, texts) if check else Verdict()


def refuse_if_blocked(obj, revision=None):
    verdict = check_object(obj, revision=revision)
    if not verdict:
        refusal = ContentBlocked(verdict)
        # What was refused, for the admin's message and its way back (core/content_refusals.py).
        refusal.obj = obj
        raise refusal
    return verdict


def record_override(obj, findings, user, reason):
    """A reviewer keeps the wording of these 规范表述 findings on `obj`, for the written reason:
    the checker keeps the decision (and logs it), and finds them no longer blocking."""
    check = checker()
    if check is not None and findings:
        check.record_override(obj, findings, user, reason)


def describe(finding):
    """One finding in words, for a form, a message, a mail or a comment."""
    if finding.right:
        what = f"{finding.kind_name}：“{finding.word}”应为“{finding.right}”"
    else:
        what = f"{finding.kind_name}：“{finding.word}”"
    where = f"（{finding.where}）" if finding.where else ""
    context = f"，原文：“{finding.context}”" if finding.context else ""
    return f"{what}{where}{context}"


def describe_all(findings):
    return "；".join(describe(finding) for finding in findings)

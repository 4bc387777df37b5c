"""The 错敏词 lists of each site: the listed words (禁用词, 规范表述, 易错词), the phrases that contain
a listed word legitimately (allow-list), a counter bumped on every change of either (so that each
serving process rebuilds its matcher at its next check, quality/checking.py), and the reviewers'
overrides of 规范表述 findings."""

import re
import unicodedata
import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from wagtail.models import Page

from core.content_gate import BANNED, KIND_NAMES, STANDARD, TYPO

KINDS = [(kind, KIND_NAMES[kind]) for kind in (BANNED, STANDARD, TYPO)]
WORD_LENGTH = 100
OVERRIDE_CONTEXT_LENGTH = 400
# Characters a reader does not see (zero-width spaces and joiners, the soft hyphen, direction
# marks, the byte-order mark): typed inside a listed word they would hide it from the check, so
# matching leaves them out, in the lists and in the text alike.
INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
    "\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)
# Control characters mean nothing in a word (and no spreadsheet can hold them).
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def normal_form(text):
    """How a word or phrase is stored and compared: NFKC (full-width letters and digits become
    half-width), without characters a reader does not see or control characters, nor surrounding
    spaces."""
    return CONTROL.sub("", INVISIBLE.sub("", unicodedata.normalize("NFKC", text or ""))).strip()


def only_punctuation(text):
    """Whether a word holds nothing but punctuation and spaces: listed, it would be found in
    nearly every article."""
    return all(unicodedata.category(character)[0] in "PZ" for character in text)


TOO_LONG = f"全角转半角等规范化后不能超过 {WORD_LENGTH} 个字。"
ONLY_PUNCTUATION = "词语只有标点，几乎每篇文章都会被找出，请填写文字。"


class ListedWord(models.Model):
    site = models.ForeignKey(
        "wagtailcore.Site", verbose_name="站点", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField("类别", max_length=10, choices=KINDS)
    word = models.CharField("词语", max_length=WORD_LENGTH)
    right = models.CharField(
        "正确形式",
        max_length=WORD_LENGTH,
        blank=True,
        help_text="规范表述必填；易错词可填，提示编辑应写作什么",
    )
    note = models.CharField("说明", max_length=255, blank=True)
    traditional = models.BooleanField(
        "同时匹配繁体", default=False, help_text="勾选后，正文中的繁体写法也会被找出"
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "错敏词"
        verbose_name_plural = "错敏词"
        ordering = ["kind", "word"]
        constraints = [
            models.UniqueConstraint(fields=["site", "kind", "word"], name="quality_word_once")
        ]
        permissions = [("import_listedword", "导入和导出错敏词")]

    def __str__(self):
        return f"{self.word} → {self.right}" if self.right else self.word

    @property
    def kind_name(self):
        return KIND_NAMES[self.kind]

    def clean(self):
        self.word = normal_form(self.word)
        self.right = normal_form(self.right)
        if not self.word:
            raise ValidationError({"word": "请填写词语。"})
        if only_punctuation(self.word):
            raise ValidationError({"word": ONLY_PUNCTUATION})
        for name in ("word", "right"):
            # NFKC may make a text longer (㈠ is "(一)") than the form's length check saw.
            if len(getattr(self, name)) > WORD_LENGTH:
                raise ValidationError({name: TOO_LONG})
        if self.kind == STANDARD and not self.right:
            raise ValidationError({"right": "规范表述须填写正确形式。"})
        if self.kind == BANNED:
            self.right = ""
        if self.right and self.right == self.word:
            raise ValidationError({"right": "正确形式与词语相同。"})


class AllowedPhrase(models.Model):
    """A phrase in which a word of the list `kind` is not a finding, such as a place name."""

    site = models.ForeignKey(
        "wagtailcore.Site", verbose_name="站点", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField("适用的词表", max_length=10, choices=KINDS)
    phrase = models.CharField("短语", max_length=WORD_LENGTH)
    note = models.CharField("说明", max_length=255, blank=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "允许短语"
        verbose_name_plural = "允许短语"
        ordering = ["kind", "phrase"]
        constraints = [
            models.UniqueConstraint(fields=["site", "kind", "phrase"], name="quality_phrase_once")
        ]

    def __str__(self):
        return self.phrase

    @property
    def kind_name(self):
        return KIND_NAMES[self.kind]

    def clean(self):
        self.phrase = normal_form(self.phrase)
        if not self.phrase:
            raise ValidationError({"phrase": "请填写短语。"})
        if len(self.phrase) > WORD_LENGTH:
            raise ValidationError({"phrase": TOO_LONG})


class ListVersion(models.Model):
    """One row per site, changed in the transaction of every change to the site's lists: reading
    it is one indexed query, so every process sees a change at its next check. The stamp is new
    at each change, so that a database put back from a backup (whose number may have been
    reached since by other changes) is never taken for the lists a process already holds."""

    site = models.OneToOneField(
        "wagtailcore.Site", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    number = models.PositiveBigIntegerField(default=0)
    stamp = models.UUIDField(default=uuid.uuid4)

    class Meta:
        verbose_name = "词表版本"
        verbose_name_plural = "词表版本"

    def __str__(self):
        return f"{self.site_id}:{self.number}"


def lists_changed(site_id, deleted=False):
    """Raise the site's list version (after any change, including bulk ones that send no signal).
    After a row's deletion the version is only raised, never made: when the site itself is being
    deleted, its version row has gone before its words, and one made again would be left
    pointing at no site."""
    with transaction.atomic():
        changed = ListVersion.objects.filter(site_id=site_id)
        if not changed.update(number=F("number") + 1, stamp=uuid.uuid4()) and not deleted:
            ListVersion.objects.get_or_create(site_id=site_id, defaults={"number": 1})


def list_version(site_id):
    """What names the current state of the site's lists (None before any change)."""
    return ListVersion.objects.filter(site_id=site_id).values_list("number", "stamp").first()


class OverrideQuerySet(models.QuerySet):
    def of(self, obj):
        content_type, object_id = object_reference(obj)
        return self.filter(content_type=content_type, object_id=object_id)


class StandardOverride(models.Model):
    """A reviewer's written reason to let a 规范表述 finding through on one page (or snippet, or
    reply): checks of that object no longer block on that wrong form with those words around it."""

    site = models.ForeignKey(
        "wagtailcore.Site", verbose_name="站点", on_delete=models.CASCADE, related_name="+"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    word = models.CharField("错误形式", max_length=WORD_LENGTH)
    right = models.CharField("正确形式", max_length=WORD_LENGTH, blank=True)
    context = models.CharField("上下文", max_length=OVERRIDE_CONTEXT_LENGTH)
    reason = models.TextField("理由")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("时间", default=timezone.now)

    objects = OverrideQuerySet.as_manager()

    class Meta:
        verbose_name = "规范表述放行"
        verbose_name_plural = "规范表述放行"
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.word}：{self.reason}"


def object_reference(obj):
    """(content type, id) naming an object whatever class it was loaded as: a page is named as
    a Page, so its specific and generic forms share their overrides."""
    model = Page if isinstance(obj, Page) else type(obj)
    return ContentType.objects.get_for_model(model, for_concrete_model=True), str(obj.pk)


def override_key(finding):
    """What a reviewer's override of `finding` is kept under: its wrong form and context as the
    override's columns hold them (a form written with composed characters, or its context, may
    be longer than a listed word)."""
    return finding.word[:WORD_LENGTH], finding.context[:OVERRIDE_CONTEXT_LENGTH]

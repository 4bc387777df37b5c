"""征集调查: a page that asks readers a few questions between two dates, takes one answer per
reader, and afterwards shows what the answers were (a bar chart per question) with what was done
with them (采纳情况), once the editors publish the results: never before the 征集 has ended.

The form, its checks and the reader key are in interaction/survey_forms.py, the chart in
interaction/survey_chart.py, the editors' answer listing and exports in interaction/survey_admin.py.
"""

from collections import Counter

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.functional import cached_property
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, Site

from core import generation
from core.admin_forms import SafePageForm
from core.beijing_time import beijing_time
from core.limits import exceeded, parse_rate
from core.publishing import AtomicPublishMixin
from core.restrictions import CachedViewRestrictionsMixin
from interaction import survey_forms
from interaction.survey_chart import chart, description
from interaction.survey_forms import CHOICE_KINDS, KINDS, SINGLE

QUESTION_MAX = 200
OPTION_MAX = 100
OPTIONS_MAX = 20
QUESTIONS_MAX = 30

UPCOMING = "upcoming"
OPEN = "open"
ENDED = "ended"

DONE_PARAMETER = "submitted"


class QuestionBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(label="题型", choices=KINDS, default=SINGLE)
    question = blocks.CharBlock(label="问题", max_length=QUESTION_MAX)
    options = blocks.ListBlock(
        blocks.CharBlock(label="选项", max_length=OPTION_MAX),
        label="选项",
        required=False,
        max_num=OPTIONS_MAX,
        help_text="单选、多选题至少两个选项；文字题不用填",
    )
    required = blocks.BooleanBlock(label="必答", required=False, default=True)

    def clean(self, value):
        value = super().clean(value)
        options = [option.strip() for option in value.get("options") or [] if option.strip()]
        if value.get("kind") in CHOICE_KINDS:
            if len(options) < 2:
                raise blocks.StructBlockValidationError(
                    {"options": ValidationError("单选、多选题至少要有两个选项")}
                )
            if len(set(options)) != len(options):
                raise blocks.StructBlockValidationError(
                    {"options": ValidationError("选项不能重复")}
                )
        return value

    class Meta:
        icon = "list-ul"
        label = "问题"


class SurveyPage(AtomicPublishMixin, CachedViewRestrictionsMixin, Page):
    """A 征集: open from starts_at to ends_at; its results shown once it has ended, if
    results_published."""

    base_form_class = SafePageForm
    # Readers post their answers to the page itself (core/wagtail_hooks.py lets the POST through).
    accepts_post = True

    intro = RichTextField("说明", blank=True, features=["bold", "italic", "link", "ol", "ul"])
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    questions = StreamField(
        [("question", QuestionBlock())],
        verbose_name="问题",
        min_num=1,
        max_num=QUESTIONS_MAX,
    )
    results_published = models.BooleanField(
        "公布结果",
        default=False,
        help_text="勾选并发布后，征集结束时页面上显示各选项的统计图和采纳情况；征集结束前不显示",
    )
    adoption = RichTextField(
        "采纳情况",
        blank=True,
        features=["bold", "italic", "link", "ol", "ul"],
        help_text="意见建议的采纳情况，与结果一同公布",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel([FieldPanel("starts_at"), FieldPanel("ends_at")], heading="征集时间"),
        FieldPanel("questions"),
        MultiFieldPanel([FieldPanel("results_published"), FieldPanel("adoption")], heading="结果"),
    ]

    parent_page_types = ["news.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = "征集调查"
        verbose_name_plural = "征集调查"

    def clean(self):
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "结束时间要晚于开始时间"})

    # What the page is now -------------------------------------------------------------------

    def state(self, now=None):
        now = now or timezone.now()
        if now < self.starts_at:
            return UPCOMING
        if now >= self.ends_at:
            return ENDED
        return OPEN

    def closed_message(self, state):
        if state == UPCOMING:
            return f"本次征集尚未开始，将于{beijing_time(self.starts_at):%Y年%m月%d日 %H:%M}开始。"
        if state == ENDED:
            return f"本次征集已结束，已于{beijing_time(self.ends_at):%Y年%m月%d日 %H:%M}结束。"
        return ""

    def question_list(self):
        """(id, value) of each question, the id being the block's, which stays when questions
        are reordered or reworded: answers are kept under it."""
        return [(block.id, block.value) for block in self.questions]

    @cached_property
    def results(self):
        return survey_results(self)

    def shown_results(self):
        """What readers see of the results: the number of answers and each question's figures
        with its chart. Once the 征集 has ended no answer can come, and whatever else changes
        it (the questions, the dates) is a publish, which moves the site's generation: so an
        ended 征集's are counted once per generation (core/generation.py), however many readers
        ask, with whatever query string gets past the page cache."""

        def count():
            return {
                "answer_count": self.answers.count(),
                "results": [
                    {
                        "result": result,
                        "chart": chart(result) if result.is_choice else None,
                        "description": description(result) if result.is_choice else "",
                    }
                    for result in survey_results(self)
                ],
            }

        if self.state() != ENDED:
            return count()
        return generation.remember(f"survey-results:{self.pk}:{self.ends_at.isoformat()}", count)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Figures shown while readers still answer would sway the answers still to come.
        context["show_results"] = self.results_published and self.state() == ENDED
        if context["show_results"]:
            context.update(self.shown_results())
        return context

    # Serving --------------------------------------------------------------------------------

    def serve(self, request, *args, **kwargs):
        state = self.state()
        context = self.get_context(request, *args, **kwargs)
        context["state"] = state
        context["closed_message"] = self.closed_message(state)
        status = 200
        if state == OPEN:
            key = survey_forms.reader_key(request, self)
            block = survey_forms.address_key(request, self)
            answered = survey_forms.has_answered(request, self, key)
            full = not answered and survey_forms.address_full(self, block)
            if request.method == "POST":
                form = survey_forms.SurveyForm(self, request.POST)
                if exceeded(request, "survey", settings.INTERACTION_SURVEY_RATE):
                    # The reader's answers come back with why, to be sent again later.
                    form.add_error(None, survey_forms.TOO_OFTEN)
                    status = 429
                elif answered:
                    form.add_error(None, survey_forms.ALREADY_ANSWERED)
                    status = 403
                elif full:
                    form.add_error(None, survey_forms.ADDRESS_FULL)
                    status = 403
                elif form.is_valid():
                    if self.record_answer(request, key, block, form.answers()):
                        response = HttpResponseRedirect(f"{self.url}?{DONE_PARAMETER}=1")
                        survey_forms.remember_answered(response, self)
                        return response
                    form.add_error(None, survey_forms.ALREADY_ANSWERED)
                    status = 403
                else:
                    status = 400
            else:
                form = survey_forms.SurveyForm(self)
            context["form"] = form
            context["answered"] = answered and request.method != "POST"
            context["address_full"] = full and request.method != "POST"
            context["address_full_message"] = survey_forms.ADDRESS_FULL
            context["submitted"] = request.GET.get(DONE_PARAMETER) == "1"
        elif request.method == "POST":
            # Outside its dates a 征集 takes nothing: the page, with why.
            context["refused"] = True
            status = 403
        response = TemplateResponse(
            request, self.get_template(request, *args, **kwargs), context, status=status
        )
        if status == 429:
            response["Retry-After"] = str(retry_after(settings.INTERACTION_SURVEY_RATE))
        if state != ENDED:
            # An open form carries a token of its own and changes with the reader; one not yet
            # open opens with the clock, which the page cache does not follow.
            add_never_cache_headers(response)
        return response

    def record_answer(self, request, key, block, answers):
        """Whether the answer was counted: False when this reader's answer is already in."""
        site = Site.find_for_request(request) or self.get_site()
        try:
            with transaction.atomic():
                SurveyAnswer.objects.create(
                    site=site, survey=self, reader_key=key, address_key=block, answers=answers
                )
        except IntegrityError:
            return False
        return True


def retry_after(rate):
    """Seconds until a limited reader may try again, at most an hour (as core/limits.py says)."""
    return min(parse_rate(rate)[1], 3600)


class SurveyAnswer(models.Model):
    """One reader's answer to a 征集: {question id: option text, [option texts] or text}. The
    reader is named only by keyed hashes (interaction/survey_forms.py): of the address block and
    the browser (reader_key, one answer each), and of the address block alone (address_key, a
    few answers each)."""

    site = models.ForeignKey(Site, verbose_name="站点", on_delete=models.CASCADE, related_name="+")
    survey = models.ForeignKey(
        SurveyPage, verbose_name="征集", on_delete=models.CASCADE, related_name="answers"
    )
    reader_key = models.CharField(max_length=40, editable=False)
    address_key = models.CharField(max_length=40, editable=False, blank=True, db_index=True)
    answers = models.JSONField("答卷", default=dict)
    created_at = models.DateTimeField("提交时间", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "征集答卷"
        verbose_name_plural = "征集答卷"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "reader_key"], name="interaction_one_answer_per_reader"
            )
        ]

    def __str__(self):
        return f"{self.survey_id} {self.created_at:%Y-%m-%d %H:%M}"


class QuestionResult:
    """One question's figures: (option, count, percent) rows, or the number of written answers."""

    def __init__(self, block_id, question, answered, rows=None, written=0):
        self.id = block_id
        self.kind = question["kind"]
        self.question = question["question"]
        self.answered = answered
        self.rows = rows or []
        self.written = written

    @property
    def is_choice(self):
        return self.kind in CHOICE_KINDS

    @property
    def top(self):
        return max((count for _option, count, _percent in self.rows), default=0)


def survey_results(survey):
    """Per question: how many readers chose each option (percent of those who answered it)."""
    all_answers = list(survey.answers.values_list("answers", flat=True))
    results = []
    for block_id, question in survey.question_list():
        given = [answers.get(block_id) for answers in all_answers if answers.get(block_id)]
        if question["kind"] not in CHOICE_KINDS:
            results.append(QuestionResult(block_id, question, len(given), written=len(given)))
            continue
        counts = Counter()
        for value in given:
            counts.update(value if isinstance(value, list) else [value])
        rows = [
            (option, counts[option], round(100 * counts[option] / len(given)) if given else 0)
            for option in question["options"]
        ]
        results.append(QuestionResult(block_id, question, len(given), rows))
    return results

"""The editors' side of 征集调查: each 征集's answers, its counts per option, and its answers as
CSV or XLSX (core/spreadsheets.py: a UTF-8 byte-order mark for Chinese Excel, times in Beijing
time, cells that would be formulas neutralised). Whoever may edit the 征集 page may see them."""

import csv
import io

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.timezone import localtime
from django.views.generic import TemplateView
from openpyxl import Workbook

from core.admin_pages import AdminPage
from core.spreadsheets import BOM, local_time, neutralised
from interaction.survey_forms import MULTIPLE
from interaction.surveys import SurveyPage

PER_PAGE = 50
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def survey_for(request, page_id):
    survey = get_object_or_404(SurveyPage, pk=page_id)
    if not survey.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return survey


def answer_text(question, value):
    """One answer as a cell shows it: a multiple choice's options joined by "；"."""
    if value is None:
        return ""
    if question["kind"] == MULTIPLE and isinstance(value, list):
        return "；".join(str(option) for option in value)
    return str(value)


def table(survey):
    """The header row and one row per answer (oldest first): 提交时间 and each question."""
    questions = survey.question_list()
    header = ["序号", "提交时间", *(question["question"] for _id, question in questions)]
    rows = []
    answers = survey.answers.order_by("created_at", "pk")
    for number, answer in enumerate(answers.iterator(), start=1):
        values = [answer_text(q, answer.answers.get(block_id)) for block_id, q in questions]
        rows.append([number, answer.created_at, *values])
    return header, rows


class SurveyAnswersView(AdminPage, TemplateView):
    template_name = "interaction/admin/survey_answers.html"
    header_icon = "list-ul"

    def dispatch(self, request, page_id):
        self.survey = survey_for(request, page_id)
        self.page_title = f"{self.survey.title}：答卷与统计"
        return super().dispatch(request)

    def get_context_data(self, **kwargs):
        survey = self.survey
        questions = survey.question_list()
        answers = Paginator(survey.answers.order_by("-created_at", "-pk"), PER_PAGE)
        page = answers.get_page(self.request.GET.get("p"))
        listed = [
            (
                localtime(answer.created_at),
                [answer_text(q, answer.answers.get(block_id)) for block_id, q in questions],
            )
            for answer in page
        ]
        return super().get_context_data(
            survey=survey,
            questions=[question["question"] for _id, question in questions],
            results=survey.results,
            total=answers.count,
            answers_page=page,
            listed=listed,
            csv_url=reverse("interaction_survey_export", args=[survey.pk, "csv"]),
            xlsx_url=reverse("interaction_survey_export", args=[survey.pk, "xlsx"]),
            **kwargs,
        )


def export_answers(request, page_id, kind):
    if kind not in ("csv", "xlsx"):
        raise Http404
    survey = survey_for(request, page_id)
    header, rows = table(survey)
    name = f"survey-{survey.pk}-answers"
    if kind == "xlsx":
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "答卷"
        sheet.append([neutralised(cell) for cell in header])
        for row in rows:
            sheet.append(
                [
                    row[0],
                    local_time(row[1]),
                    *(neutralised(value) for value in row[2:]),
                ]
            )
        sheet.column_dimensions["B"].width = 18
        out = io.BytesIO()
        workbook.save(out)
        response = HttpResponse(out.getvalue(), content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([neutralised(cell) for cell in header])
    for row in rows:
        writer.writerow(
            [row[0], f"{local_time(row[1]):%Y-%m-%d %H:%M}", *(neutralised(v) for v in row[2:])]
        )
    response = HttpResponse((BOM + out.getvalue()).encode(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response

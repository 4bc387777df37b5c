"""设置 → 工作日调整: the days staff add when the State Council publishes next year's schedule
before the installed holiday calendar knows it (interaction/workdays.py). For superusers and
those given the table's permissions; every change is in Wagtail's log like any other.

A change counts for the messages received after it: a due date is fixed when a message arrives
and was told to its writer, so the open messages keep theirs (the dashboard's working days left
are counted on the calendar as it is now)."""

from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.viewsets.model import ModelViewSet

from interaction.models import WorkdayException


class WorkdayExceptionViewSet(ModelViewSet):
    model = WorkdayException
    name = "workday_exceptions"
    icon = "date"
    menu_label = "工作日调整"
    add_to_settings_menu = True
    form_fields = ["day", "is_working_day", "note"]
    list_display = [
        TitleColumn("day", label="日期", url_name="workday_exceptions:edit"),
        Column(
            "is_working_day",
            label="调整为",
            accessor=lambda day: "上班" if day.is_working_day else "放假",
        ),
        Column("note", label="说明"),
    ]
    ordering = ["-day"]

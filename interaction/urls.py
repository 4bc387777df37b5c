"""The public addresses of 互动交流 that are not pages of the tree."""

from django.urls import re_path

from interaction import statistics_views

# Row ids of at most 18 digits: a longer number is no row, and SQLite cannot even be asked for it.
ID = r"(?P<channel_id>[0-9]{1,18})"

urlpatterns = [
    re_path(rf"^tongji/{ID}/$", statistics_views.statistics, name="interaction_statistics"),
]

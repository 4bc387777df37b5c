"""The public addresses of 互动交流 that are not pages of the tree (included under /hudong/ by
sitecms/urls.py): a channel's statistics, 来信查询 and 网站纠错. A channel's own form is its page
(ChannelPage.serve)."""

from django.urls import path, re_path

from interaction import statistics_views
from interaction.lookup import lookup
from interaction.sending import correction

# Row ids of at most 18 digits: a longer number is no row, and SQLite cannot even be asked for it.
ID = r"(?P<channel_id>[0-9]{1,18})"

urlpatterns = [
    re_path(rf"^tongji/{ID}/$", statistics_views.statistics, name="interaction_statistics"),
    path("chaxun/", lookup, name="interaction_lookup"),
    path("jiucuo/", correction, name="interaction_correction"),
]

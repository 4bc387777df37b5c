"""The public addresses of 互动交流 that are not pages of the tree."""

from django.urls import path

from interaction import statistics_views

urlpatterns = [
    path("tongji/<int:channel_id>/", statistics_views.statistics, name="interaction_statistics"),
]

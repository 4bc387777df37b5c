"""The trivial view of `make bench` (bench/trivial_settings.py), and the two URL names the site's
middleware looks up when it starts: the admin's prefix (core/errors.py, core/csp.py) and the CSP
report address (core/csp.py). Neither is requested while measuring."""

from django.http import HttpResponse, HttpResponseNotFound
from django.urls import path

from core import csp_reports


def hello(request):
    return HttpResponse("Hello, world")


def no_admin(request):
    return HttpResponseNotFound()


urlpatterns = [
    path("", hello),
    path("admin/", no_admin, name="wagtailadmin_home"),
    path("csp-report/", csp_reports.report, name="csp_report"),
]

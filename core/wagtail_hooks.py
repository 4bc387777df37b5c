"""Every page of the site is for reading: GET and HEAD are served, OPTIONS says so, anything else
gets 405 (with a Chinese page from core/errors.py)."""

from django.http import HttpResponse, HttpResponseNotAllowed
from wagtail import hooks

READ_METHODS = ("GET", "HEAD")


@hooks.register("before_serve_page")
def only_reading(page, request, serve_args, serve_kwargs):
    """Pages are for reading: anything but GET and HEAD gets 405 (OPTIONS says what is allowed)."""
    if request.method in READ_METHODS:
        return None
    if request.method == "OPTIONS":
        response = HttpResponse()
        response["Allow"] = ", ".join([*READ_METHODS, "OPTIONS"])
        return response
    return HttpResponseNotAllowed(READ_METHODS)

"""Every page of the site is for reading: GET and HEAD are served (and POST to a page whose type
takes a form, `accepts_post = True`, such as a channel or a 征集), OPTIONS says so, anything else
gets 405 (with a Chinese page from core/errors.py). The admin's 帮助 menu offers the staff guide,
使用手册 (core/guide.py)."""

from django.http import HttpResponse, HttpResponseNotAllowed
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from core.guide import GuideScreenshotView, GuideView

READ_METHODS = ("GET", "HEAD")


@hooks.register("before_serve_page")
def only_reading(page, request, serve_args, serve_kwargs):
    """Pages are for reading: anything but GET and HEAD (and POST where a page takes a form)
    gets 405; OPTIONS says what is allowed."""
    allowed = (*READ_METHODS, "POST") if getattr(page, "accepts_post", False) else READ_METHODS
    if request.method in allowed:
        return None
    if request.method == "OPTIONS":
        response = HttpResponse()
        response["Allow"] = ", ".join([*allowed, "OPTIONS"])
        return response
    return HttpResponseNotAllowed(allowed)


@hooks.register("register_admin_urls")
def register_guide_url():
    return [
        path("guide/", GuideView.as_view(), name="core_guide"),
        # The guide names its pictures relative to itself, as screenshots/….png (core/guide.py).
        path(
            "guide/screenshots/<slug:name>.png",
            GuideScreenshotView.as_view(),
            name="core_guide_screenshot",
        ),
    ]


@hooks.register("register_help_menu_item")
def register_guide_menu_item():
    return MenuItem("使用手册", reverse("core_guide"), icon_name="help", order=1000)


@hooks.register("construct_help_menu")
def no_english_guides(request, menu_items):
    # Wagtail's editor guide and its "What's new in Wagtail" are English pages on Wagtail's site,
    # about Wagtail rather than this site; 使用手册 takes their place.
    menu_items[:] = [
        item
        for item in menu_items
        if item.name != "editor-guide" and not item.name.startswith("whats-new-in-wagtail")
    ]

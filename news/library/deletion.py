"""Deleting a picture or document that a live page shows, or moving a document into another
collection (which may be private, or not): reviewers only, as replacing its file is
(news/library/replacement.py). Either changes the live page without review: its cover or
picture gone, its 附件 gone or closed to readers.

Wagtail lets whoever uploaded a picture or document delete it, on its delete page, on the
multiple-upload page and through the bulk actions, with no hook of its own before a delete: so
the delete pages are answered here first (news/wagtail_hooks.py puts them before Wagtail's), and
the bulk actions are checked in `before_bulk_action`."""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from wagtail.documents import get_document_model
from wagtail.documents.views import documents as document_views
from wagtail.documents.views import multiple as document_multiple
from wagtail.images import get_image_model
from wagtail.images.views import images as image_views
from wagtail.images.views import multiple as image_multiple

from news.library.replacement import kind_of, may_replace_file, refusal

REFUSED_DELETE = {
    "picture": (
        "这张图片正用在已发布的页面上（{pages}）。删除它会不经审核直接改变这些页面，只有审核人员可以删除。"
        "请先在页面草稿中改用另一张图片并提交审核，或请审核人员处理。"
    ),
    "document": (
        "这个文档正被已发布的页面使用（{pages}）。删除它或移到另一个集合会不经审核直接改变读者能否下载它，"
        "只有审核人员可以这样做。请先在页面草稿中改用另一个文档并提交审核，或请审核人员处理。"
    ),
}
EDIT_URLS = {"picture": "wagtailimages:edit", "document": "wagtaildocs:edit"}
# Bulk actions that change what readers get of a picture or document.
GUARDED_BULK_ACTIONS = {
    ("wagtailimages", "image", "delete"),
    ("wagtaildocs", "document", "delete"),
    ("wagtaildocs", "document", "add_to_collection"),
}


def refused(user, objects):
    """The first of `objects` a live page shows that `user` may not change, or None."""
    return next((obj for obj in objects if not may_replace_file(user, obj)), None)


def refuse(request, obj):
    message = refusal(obj, REFUSED_DELETE)
    if request.headers.get("x-requested-with") == "XMLHttpRequest":  # the multiple-upload page
        return JsonResponse({"success": False, "error_message": message}, status=403)
    messages.error(request, message)
    return redirect(reverse(EDIT_URLS[kind_of(obj)], args=(obj.pk,)))


def guarded(view, model, key):
    def guard(request, **kwargs):
        obj = model.objects.filter(pk=kwargs[key]).first()
        if obj is not None and refused(request.user, [obj]):
            return refuse(request, obj)
        return view(request, **kwargs)

    return guard


def delete_urls():
    """The delete pages of both libraries, each answered here before Wagtail's."""
    Image, Document = get_image_model(), get_document_model()
    return [
        path(
            "images/<int:image_id>/delete/",
            guarded(image_views.DeleteView.as_view(), Image, "image_id"),
        ),
        path(
            "images/multiple/<int:image_id>/delete/",
            guarded(image_multiple.DeleteView.as_view(), Image, "image_id"),
        ),
        path(
            "documents/delete/<int:document_id>/",
            guarded(document_views.DeleteView.as_view(), Document, "document_id"),
        ),
        path(
            "documents/multiple/<int:doc_id>/delete/",
            guarded(document_multiple.DeleteView.as_view(), Document, "doc_id"),
        ),
    ]


def refuse_bulk_action(request, action_type, objects, action):
    """`before_bulk_action`: a bulk delete or collection move that would change a live page."""
    model = action.model._meta
    if (model.app_label, model.model_name, action_type) not in GUARDED_BULK_ACTIONS:
        return None
    obj = refused(request.user, objects)
    return None if obj is None else refuse(request, obj)

"""An upload to the image or document library that is bigger than the library takes is refused
from the length the request announces, before Django reads its body.

Django reads a whole multipart body into memory or a temporary file before any form sees it, so
a 50 MB document was sent and stored whole only to be refused. The admin's pages refuse such a
file before sending it (static/js/admin/upload-checks.js) and nginx refuses any request over its
cap (deploy/nginx.conf, `client_max_body_size`, which must stay at least the largest library
limit plus ALLOWANCE); this is the check for whatever reaches Django past both. The multiple
uploader is answered as its script reads a refusal, with the message beside the file; any other
form with a short Chinese page (413), as nginx would.
"""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.html import escape

from core.errors import render_error
from news.library.files import size_in_words
from news.library.uploads import CheckedDocumentField, CompleteImageField

# The rest of an upload's request besides the file: the form's other fields and the multipart
# boundaries and headers, a few kilobytes at most.
ALLOWANCE = 256 * 1024
TOO_BIG = "上传的文件超过了{library}的上限 {limit}，没有上传。请压缩或拆分后再上传。"
PLAIN_413 = (
    '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>文件太大，无法上传</title>'
    "</head><body><h1>文件太大，无法上传</h1><p>{message}</p></body></html>"
)


class HttpResponseTooBig(HttpResponse):
    status_code = 413


def limits():
    """[(address prefix, multiple uploader's address, largest upload, the library in words)]."""
    return [
        (
            reverse("wagtaildocs:index"),
            reverse("wagtaildocs:add_multiple"),
            settings.WAGTAILDOCS_MAX_UPLOAD_SIZE,
            CheckedDocumentField.library,
        ),
        (
            reverse("wagtailimages:index"),
            reverse("wagtailimages:add_multiple"),
            settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE,
            CompleteImageField.library,
        ),
    ]


def announced_length(request):
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class UploadLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST":
            refused = self.refusal(request)
            if refused is not None:
                return refused
        return self.get_response(request)

    def refusal(self, request):
        length = announced_length(request)
        for prefix, multiple, largest, library in limits():
            if largest is None or not request.path_info.startswith(prefix):
                continue
            if length <= largest + ALLOWANCE:
                return None
            message = TOO_BIG.format(library=library, limit=size_in_words(largest))
            if request.path_info == multiple:
                return JsonResponse({"success": False, "error_message": message})
            plain = PLAIN_413.format(message=escape(message))
            return render_error("upload_too_big.html", HttpResponseTooBig, plain, message=message)
        return None

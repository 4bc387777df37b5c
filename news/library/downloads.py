"""Document downloads: Wagtail's serve view (permissions, private collections, conditional GET,
nginx's X-Accel-Redirect), with two headers corrected.

- The file name a reader saves is the document's title with its extension ("关于召开党建工作会议的
  通知.pdf"), not the stored name, which storage may have given a suffix ("会议通知_N11VZZg.pdf").
- Wagtail sets Content-Encoding to what `mimetypes` guesses from the name: "None" for most files,
  "gzip" for a .gz, which makes browsers unpack the download. A stored document is sent as it was
  uploaded, so its answer names no encoding."""

import re

from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe
from wagtail.documents import get_document_model
from wagtail.documents.views.serve import serve

# Characters no file system takes in a name, and control characters.
UNSAFE_IN_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def download_name(document):
    title = UNSAFE_IN_NAME.sub(" ", document.title).strip()[:150] or "附件"
    extension = document.file_extension
    return f"{title}.{extension}" if extension else title


@require_safe
def serve_document(request, document_id, document_filename):
    response = serve(request, document_id, document_filename)
    if "Content-Encoding" in response:
        del response["Content-Encoding"]
    if response.has_header("Content-Disposition"):
        document = get_document_model().objects.get(pk=document_id)
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=download_name(document)
        )
    return response

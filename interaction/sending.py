"""Sending a message or a 纠错 from the public site.

A channel page (ChannelPage.serve) shows its form on GET and takes it on POST; the 纠错 form is
at /hudong/jiucuo/, opened from every page's footer with the page's address (and the words the
reader selected) in its query string. A form that passes every check (interaction/forms.py,
interaction/abuse.py) goes to interaction/workflow.py's receive(), with the writer's fields only
and the address the site trusts (core/clients.py); the answer shows the 受理编号 and the
查询码 once. Over INTERACTION_SEND_RATE an address gets its form back, filled in, with 429.

None of these answers may be kept by the page cache or a proxy (news/serving/pagecache.py keeps
anonymous GETs): the form carries a CSRF token and a question of its own, the answer a code only
its writer may see. Each is marked no-store.
"""

import ipaddress

from django.conf import settings
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods
from wagtail.models import Site

from core.clients import client_ip
from interaction import abuse, workflow
from interaction.forms import CorrectionForm, MessageForm, page_path
from interaction.models import SELECTED_MAX, Kind

LIMITED = "您提交得太频繁了，请过一段时间再提交。您填写的内容都已保留，可以稍后再点“提交”。"


def never_kept(response):
    add_never_cache_headers(response)
    response["Cache-Control"] = "no-store, no-cache, must-revalidate, max-age=0, private"
    return response


def trusted_address(request):
    address = client_ip(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def form_context(form):
    """What a form's page shows besides the form: the personal-information notice needs how long
    contact details are kept (templates/interaction/includes/privacy_notice.html)."""
    return {"form": form, "keep_contact_days": settings.INTERACTION_KEEP_CONTACT_DAYS}


def serve_channel(page, request, *args, **kwargs):
    """ChannelPage.serve: the form on GET (and HEAD), the message taken on POST."""
    request.is_preview = getattr(request, "is_preview", False)
    if request.method == "POST":
        return send_message(page, request, *args, **kwargs)
    return channel_response(page, request, MessageForm().prepare(), *args, **kwargs)


def channel_response(page, request, form, *args, status=200, **kwargs):
    context = page.get_context(request, *args, **kwargs)
    context.update(form_context(form))
    response = TemplateResponse(
        request, page.get_template(request, *args, **kwargs), context, status=status
    )
    return never_kept(response)


def send_message(page, request, *args, **kwargs):
    # The channel's own site, whatever host the form was posted to.
    site = page.get_site()
    form = MessageForm(request.POST, request.FILES)
    if abuse.sending_over_limit(request):
        form.top_message = LIMITED
        return channel_response(page, request, form.prepare(checked=False), status=429)
    if not form.is_valid():
        return channel_response(page, request, form.prepare(), *args, **kwargs)
    message, code = workflow.receive(
        site=site,
        channel=page,
        kind=Kind.MESSAGE,
        fields=form.writer_fields(),
        address=trusted_address(request),
    )
    return sent_response(request, message, code, page)


def sent_response(request, message, code, page=None):
    context = {
        "page": page,
        "message": message,
        "code": code,
        "code_groups": [code[:5], code[5:]],
    }
    return never_kept(TemplateResponse(request, "interaction/sent.html", context))


@require_http_methods(["GET", "HEAD", "POST"])
def correction(request):
    """网站纠错: the form, and the 纠错 taken."""
    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    if request.method != "POST":
        form = CorrectionForm(
            initial={
                "page_url": page_path(request.GET.get("url", "")),
                "selected_text": request.GET.get("text", "")[:SELECTED_MAX],
            }
        )
        return correction_response(request, form.prepare())
    form = CorrectionForm(request.POST)
    if abuse.sending_over_limit(request):
        form.top_message = LIMITED
        return correction_response(request, form.prepare(checked=False), status=429)
    if not form.is_valid():
        return correction_response(request, form.prepare())
    message, code = workflow.receive(
        site=site,
        channel=None,
        kind=Kind.CORRECTION,
        fields=form.writer_fields(),
        address=trusted_address(request),
    )
    return sent_response(request, message, code)


def correction_response(request, form, status=200):
    context = form_context(form)
    return never_kept(
        TemplateResponse(request, "interaction/correction.html", context, status=status)
    )

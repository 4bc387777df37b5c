"""查询 (/hudong/chaxun/): with the 受理编号 and the 查询码 the writer sees how the message
stands and, once replied, the reply, whether or not it is public; there the writer gives the
满意度, once.

The code is posted, never put in an address, and the answer is never kept (no-store). A wrong
code and a number that does not exist get the same answer, after the same work (a code's hash is
computed either way). Lookups are limited per address, and wrong codes per number
(interaction/abuse.py); the rating form counts as a lookup too, as it carries the code.
"""

import logging

from django.http import Http404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods
from wagtail.models import Site

from interaction import abuse, codes, workflow
from interaction.forms import LookupForm, RatingForm
from interaction.models import Message, Status
from interaction.sending import never_kept

logger = logging.getLogger(__name__)

NOT_FOUND = "受理编号或查询码不正确，请核对后重新输入。"
LIMITED = "查询次数过多，请过一段时间再查询。"
RATED = "感谢您的评价。"
RATING_FIELD = "rate"


def find(site, number, code):
    """The site's message with this number, if `code` is its 查询码; else None."""
    message = Message.objects.for_site(site).select_related("channel").filter(number=number).first()
    if message is None:
        codes.code_hash(number, code)  # the same work as for a message that exists
        return None
    return message if codes.code_matches(message, code) else None


@require_http_methods(["GET", "HEAD", "POST"])
def lookup(request):
    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    if request.method != "POST":
        return answer(request, LookupForm().prepare())
    # The rating form says it is one, so that sending it without a choice is told so.
    rating = RATING_FIELD in request.POST
    form = (RatingForm if rating else LookupForm)(request.POST)
    valid = form.is_valid()
    if form.has_error("number") or form.has_error("code"):
        return answer(request, form.prepare())
    number, code = form.cleaned_data["number"], form.cleaned_data["code"]
    if abuse.lookup_over_limit(request):
        form.top_message = LIMITED
        return answer(request, form.prepare(checked=False), status=429)
    message = find(site, number, code)
    if message is None and abuse.wrong_code_over_limit(number):
        logger.warning("Too many wrong 查询码 for %s: further guesses are refused", number[:20])
        form.top_message = LIMITED
        return answer(request, form.prepare(checked=False), status=429)
    if message is None:
        form.top_message = NOT_FOUND
        return answer(request, form.prepare(checked=False), not_found=True)
    thanks, rating_form = "", None
    if rating and valid:
        try:
            message = workflow.rate(message, form.cleaned_data["satisfaction"])
            thanks = RATED
        except workflow.WorkflowError as error:
            thanks = str(error)
    elif rating:
        rating_form = form.prepare()
    return answer(request, form, message=message, code=code, rating_form=rating_form, thanks=thanks)


def answer(
    request, form, status=200, message=None, code="", rating_form=None, thanks="", not_found=False
):
    may_rate = message is not None and message.status == Status.REPLIED and not message.satisfaction
    context = {
        "form": form,
        "found": message,
        "not_found": not_found,
        "thanks": thanks,
        "code": code,
        "may_rate": may_rate,
        "rating_field": RATING_FIELD,
        "rating_form": (rating_form or RatingForm().prepare()) if may_rate else None,
    }
    return never_kept(TemplateResponse(request, "interaction/lookup.html", context, status=status))

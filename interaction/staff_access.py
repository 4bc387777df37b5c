"""Which messages a member of staff meets in the admin, as one queryset shared by the 来信
listing and every message view (interaction/staff_views.py), so that no view shows or acts on a
message the listing would hide.

Two filters, both needed:
- the sites the user may act on (decision 15): all of them for a superuser; otherwise, while
  the installation holds one site, that site; once it holds several, the sites the user is tied
  to — some page permission of one of their groups on the site's root page or above it, a
  handling unit of the site whose group they are in, or a channel of the site naming one of
  their groups as its 受理人员 or 答复审核人员. The roles themselves (留言受理, 留言办理, 审核)
  are global, so a site is reached only through such a tie;
- the rules of interaction/workflow.py put as a query: the receivers see the messages of their
  channels (a channel's 受理人员 group, else the 留言受理 role); a handler sees only the messages
  forwarded to a unit whose group they are in; the reviewers see the replies waiting for them
  (待审核) in their channels (a channel's 答复审核人员 group, else the 审核 role) and every 纠错,
  which they receive. Each step is checked again by workflow.py when it is taken.
"""

from urllib.parse import urlsplit

from django.db.models import Q
from wagtail.models import Page, Site

from core.staff_sites import all_sites_for, tied_by_page_permissions
from interaction.models import ChannelPage, HandlingUnit, Kind, Message, Status

PERMISSIONS = ("accept_message", "handle_message", "review_reply")


def may_use(user):
    """Whether the 互动交流 menu and its views are the user's at all."""
    if not user.is_active:
        return False
    if user.is_superuser or any(user.has_perm(f"interaction.{name}") for name in PERMISSIONS):
        return True
    # A channel's own 受理人员 or 答复审核人员 need no role (interaction/workflow.py).
    groups = user.groups.all()
    return ChannelPage.objects.filter(Q(handlers__in=groups) | Q(reviewers__in=groups)).exists()


def sites_for(user):
    every = all_sites_for(user)
    if every is not None:
        return every
    groups = user.groups.all()
    channel_sites = set()
    for channel in ChannelPage.objects.filter(Q(handlers__in=groups) | Q(reviewers__in=groups)):
        site = channel.get_site()
        if site is not None:
            channel_sites.add(site.pk)
    units = HandlingUnit.objects.filter(group__in=groups).values("site")
    return Site.objects.filter(
        tied_by_page_permissions(user) | Q(pk__in=units) | Q(pk__in=channel_sites)
    )


def visible_messages(user):
    messages = Message.objects.select_related("channel", "unit", "site")
    if not user.is_active:
        return messages.none()
    messages = messages.filter(site__in=sites_for(user))
    if user.is_superuser:
        return messages
    groups = user.groups.all()
    seen = Q(pk__in=[])
    if user.has_perm("interaction.accept_message"):
        seen |= Q(kind=Kind.MESSAGE, channel__handlers__isnull=True)
    seen |= Q(kind=Kind.MESSAGE, channel__handlers__in=groups)
    if user.has_perm("interaction.handle_message"):
        seen |= Q(unit__group__in=groups)
    if user.has_perm("interaction.review_reply"):
        seen |= Q(kind=Kind.CORRECTION)
        seen |= Q(status=Status.IN_REVIEW, channel__reviewers__isnull=True)
    seen |= Q(status=Status.IN_REVIEW, channel__reviewers__in=groups)
    # A message reached through two groups would come twice: its pk once.
    return messages.filter(pk__in=Message.objects.filter(seen).values("pk"))


def units_for(message):
    """The units a message may be forwarded to: those of its own site."""
    return HandlingUnit.objects.filter(site_id=message.site_id).order_by("name")


def page_of(message):
    """A 纠错's page: (the address to open it at, the page in the admin or None). Only an
    address on the message's own site is offered as a link; anything else is shown as text."""
    if not message.page_url:
        return None, None
    parts = urlsplit(message.page_url)
    site = message.site
    if parts.scheme not in ("", "http", "https") or (
        parts.netloc and parts.netloc.split(":")[0] != site.hostname
    ):
        return None, None
    path = parts.path or "/"
    if not path.startswith("/"):
        return None, None
    url_path = site.root_page.url_path + path.lstrip("/")
    if not url_path.endswith("/"):
        url_path += "/"
    page = Page.objects.filter(url_path=url_path).first()
    return site.root_url + path, page

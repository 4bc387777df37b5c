"""What readers may see of the page tree, decided in one place.

A page is readable when it is live, when no page at or above it has a view restriction, and when
no page above it has been taken offline (a column unpublished with its articles still live
inside). A copy published into another column (一稿多发, a Wagtail alias) is readable only when
its original is too: the copy's own place in the tree says nothing of the original's password,
login restriction or unpublished column. Every public list, feed, search, sitemap and count of
articles asks `readable()`, so none of them can show what the article's own address refuses.

The sections to leave out (restricted pages, offline pages with pages under them) come from a
cache keyed by the site generation, which every publish, unpublish, move and restriction change
moves on; pages also skip Wagtail's ancestor and restriction queries when nothing above them is
restricted."""

from django.db.models import Q
from wagtail.models import Page, PageQuerySet, PageViewRestriction

from core.generation import remember


def ancestors_and_self(path):
    """The tree paths of the page at `path` and of every page above it, the root's first."""
    step = Page.steplen
    return [path[:end] for end in range(step, len(path) + 1, step)]


def outermost(paths):
    """The paths not inside another of them: a section inside a hidden one adds nothing."""
    kept = []
    for path in sorted(paths):
        if not kept or not path.startswith(kept[-1]):
            kept.append(path)
    return kept


def offline_sections():
    """Tree paths of the pages taken offline that have pages under them: nothing at or under
    them reaches readers, live or not."""

    def compute():
        offline = Page.objects.filter(live=False, numchild__gt=0, depth__gt=1)
        return outermost(offline.values_list("path", flat=True))

    return remember("offline-sections", compute)


def hidden_sections():
    """(paths, ids): readers may see nothing at or under the pages at `paths` (restricted pages
    with pages under them, and offline sections), nor the restricted pages with none under them,
    named by id so that many restricted articles cost one `NOT IN` rather than a test each."""

    def compute():
        restricted = PageViewRestriction.objects.values_list("page__path", "page__numchild", "page")
        paths = outermost(
            {path for path, children, _ in restricted if children} | {*offline_sections()}
        )
        leaves = sorted(
            pk
            for path, children, pk in restricted
            if not children and not any(path.startswith(section) for section in paths)
        )
        return paths, leaves

    return remember("hidden-sections", compute)


def in_offline_section(page):
    return any(page.path.startswith(path) for path in offline_sections())


def _readable_q(prefix=""):
    paths, leaves = hidden_sections()
    q = Q(**{f"{prefix}live": True})
    if leaves:
        q &= ~Q(**{f"{prefix}pk__in": leaves})
    for path in paths:
        q &= ~Q(**{f"{prefix}path__startswith": path})
    return q


def readable_q():
    """Live, outside every hidden section, and for a copy, its original so too."""
    return _readable_q() & (Q(alias_of__isnull=True) | _readable_q("alias_of__"))


class ReadablePageQuerySet(PageQuerySet):
    def readable(self):
        """What readers may see (see the module's docstring)."""
        return self.filter(readable_q())


def restricted_paths():
    """Tree paths of the pages with a view restriction, and of aliases (whose restrictions are
    their source page's): only pages at or under one of them need Wagtail's own check."""

    def compute():
        restricted = PageViewRestriction.objects.values_list("page__path", flat=True)
        aliases = Page.objects.filter(alias_of__isnull=False).values_list("path", flat=True)
        return sorted({*restricted, *aliases})

    return remember("restricted-paths", compute)


class CachedViewRestrictionsMixin:
    """Pages that skip the ancestor and restriction queries when nothing above them is restricted."""

    def get_view_restrictions(self):
        if any(self.path.startswith(path) for path in restricted_paths()):
            return super().get_view_restrictions()
        return PageViewRestriction.objects.none()

"""Pages that skip Wagtail's ancestor and view-restriction queries when nothing above them is
restricted: the restricted paths come from a cache keyed by the site generation, which every
restriction change moves on."""

from wagtail.models import Page, PageViewRestriction

from core.generation import remember


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

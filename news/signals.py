"""Drop the cached page-tree views whenever the live tree changes."""

from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from .treecache import forget_tree


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
@receiver(page_slug_changed)
def live_tree_changed(sender, **kwargs):
    forget_tree()


@receiver(page_published)
def new_column_gets_roles(sender, instance, **kwargs):
    from .models import NewsIndexPage
    from .roles import grant_column

    # A column added later is open to editors and reviewers, and goes through review, at once.
    if isinstance(instance, NewsIndexPage):
        grant_column(instance)


@receiver(post_delete)
def page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        forget_tree()

"""Drop the cached page-tree views whenever the live tree changes."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction, Site
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


@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def routing_changed(sender, **kwargs):
    # Sites, restrictions and aliases are what serving.py caches besides the live tree.
    forget_tree()


@receiver(post_save)
def alias_saved(sender, instance, **kwargs):
    if isinstance(instance, Page) and instance.alias_of_id is not None:
        forget_tree()

"""A new site generation (news/generation.py) with every change a reader can see; clean rich text
when saved."""

from functools import cache

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from wagtail.documents import get_document_model
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model
from wagtail.models import CollectionViewRestriction, Page, PageViewRestriction, Site
from wagtail.rich_text import features as feature_registry
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from . import generation, richtext


@cache
def rich_text_fields(model):
    return [f for f in model._meta.concrete_fields if isinstance(f, RichTextField | StreamField)]


@receiver(pre_save)
def clean_rich_text(sender, instance, **kwargs):
    """Whatever saved it (the editor, the importer, a script), stored rich text is cleaned."""
    for field in rich_text_fields(sender):
        value = getattr(instance, field.attname)
        if isinstance(field, StreamField):
            # Blocks given as raw data would be stored as they are; once converted, every
            # paragraph is stored through ParagraphBlock.get_prep_value, which cleans it.
            for _block in value or ():
                pass
        else:
            features = field.features or feature_registry.get_default_features()
            setattr(instance, field.attname, richtext.clean(value, features))


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
@receiver(page_slug_changed)
def live_tree_changed(sender, **kwargs):
    # Sent inside the publish's transaction (news/publishing.py), the move's and the slug change's.
    generation.bump()


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
        generation.bump()


@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
@receiver(post_save, sender=CollectionViewRestriction)
@receiver(post_delete, sender=CollectionViewRestriction)
@receiver(post_save, sender=get_image_model())
@receiver(post_delete, sender=get_image_model())
@receiver(post_save, sender=get_document_model())
@receiver(post_delete, sender=get_document_model())
def what_readers_see_changed(sender, **kwargs):
    # Sites and restrictions route and guard pages; a picture or document replaced or deleted
    # changes the pages that show it.
    generation.bump()


@receiver(post_save)
def alias_saved(sender, instance, **kwargs):
    if isinstance(instance, Page) and instance.alias_of_id is not None:
        generation.bump()

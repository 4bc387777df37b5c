"""Receivers connected, each with its sender, when Django starts (CoreConfig.ready): a new site
generation (core/generation.py) with every change a reader can see (an article's publishing moves
only its articles number), and rich text cleaned
(core/richtext.py) whenever a model that holds some is saved. Also `site_set_up`, the signal the
site's tree (news/sitetree.py, run by `manage.py setup_site`) sends once it and its roles are
ready, with the Site model as sender: an app the tree may not import (security/administrators.py)
adds what it needs on it; and `demo_content_loaded`, sent the same way once `setup_site --demo`
has loaded the demo articles, on which such an app adds its own demo content
(interaction/demo_messages.py)."""

from functools import partial

from django.apps import apps
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import Signal
from wagtail.documents import get_document_model
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model
from wagtail.models import (
    CollectionViewRestriction,
    Page,
    PageViewRestriction,
    Site,
    get_page_models,
)
from wagtail.rich_text import features as feature_registry
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from core import generation, richtext

site_set_up = Signal()
demo_content_loaded = Signal()


def rich_text_fields(model):
    return [f for f in model._meta.concrete_fields if isinstance(f, RichTextField | StreamField)]


def clean_rich_text(sender, instance, fields, **kwargs):
    """Whatever saved it (the editor, the importer, a script), stored rich text is cleaned."""
    for field in fields:
        value = getattr(instance, field.attname)
        if isinstance(field, StreamField):
            # Blocks given as raw data would be stored as they are; once converted, every
            # paragraph is stored through its block's get_prep_value, which cleans it.
            for _block in value or ():
                pass
        else:
            features = field.features or feature_registry.get_default_features()
            setattr(instance, field.attname, richtext.clean(value, features))


def tree_changed(sender, **kwargs):
    # Sent inside the move's and the slug change's transaction.
    generation.bump()


def published_or_unpublished(sender, **kwargs):
    # Sent inside the publish's transaction (core/publishing.py). An article's publishing moves
    # the articles number only (its class says so); any other page's, the site number.
    generation.bump(getattr(sender, "generation_scope", generation.SITE))


def alias_saved(sender, instance, **kwargs):
    # A copy made or brought up to date with its original (an article's copy when the article
    # is published) moves the number the original's publishing moves.
    if instance.alias_of_id is not None:
        generation.bump(getattr(sender, "generation_scope", generation.SITE))


def what_readers_see_changed(sender, **kwargs):
    # Sites and restrictions route and guard pages; a picture or document replaced or deleted
    # changes the pages that show it; a page deleted leaves the tree.
    generation.bump()


def register_signal_handlers():
    for model in apps.get_models():
        if fields := rich_text_fields(model):
            pre_save.connect(
                partial(clean_rich_text, fields=fields),
                sender=model,
                weak=False,
                dispatch_uid=f"clean-rich-text-{model._meta.label}",
            )
    for model in get_page_models():
        for signal in (page_published, page_unpublished):
            signal.connect(published_or_unpublished, sender=model)
        for signal in (post_page_move, page_slug_changed):
            signal.connect(tree_changed, sender=model)
        post_save.connect(alias_saved, sender=model)
    changes = [Page, Site, PageViewRestriction, CollectionViewRestriction]
    for model in changes:
        post_delete.connect(what_readers_see_changed, sender=model)
    for model in [Site, PageViewRestriction, CollectionViewRestriction]:
        post_save.connect(what_readers_see_changed, sender=model)
    for model in [get_image_model(), get_document_model()]:
        post_save.connect(what_readers_see_changed, sender=model)
        post_delete.connect(what_readers_see_changed, sender=model)

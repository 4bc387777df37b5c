"""The newsroom's receivers, each connected with its sender when Django starts
(NewsConfig.ready): a column added later is open to editors and reviewers, and goes through
review, as soon as it is published; a picture's new file is cleaned of its camera metadata before
it is stored; a deleted picture or document takes the files kept for it along; an article's key
words for 相关阅读 follow its publishing, unpublishing, moves and deletion (news/related/upkeep.py)."""

from django.db.models.signals import post_delete, pre_delete, pre_save
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import UploadedFile, get_page_models
from wagtail.signals import page_published, page_unpublished, post_page_move

from news.library.metadata import strip_before_storing
from news.library.replacement import forget_kept_files
from news.models import ArticlePage, NewsIndexPage
from news.related.upkeep import index_article, index_moved, unindex_article
from news.roles import grant_column


def new_column_gets_roles(sender, instance, **kwargs):
    grant_column(instance)


def picture_stored_without_metadata(sender, instance, **kwargs):
    strip_before_storing(instance)


def kept_files_deleted_too(sender, instance, **kwargs):
    forget_kept_files(sender, instance)


def related_words_published(sender, instance, **kwargs):
    index_article(instance)


def related_words_withdrawn(sender, instance, **kwargs):
    unindex_article(instance.pk)


def related_words_moved(sender, instance, url_path_before, url_path_after, **kwargs):
    index_moved(instance, url_path_before, url_path_after)


def register_signal_handlers():
    page_published.connect(new_column_gets_roles, sender=NewsIndexPage)
    page_published.connect(related_words_published, sender=ArticlePage)
    page_unpublished.connect(related_words_withdrawn, sender=ArticlePage)
    pre_delete.connect(related_words_withdrawn, sender=ArticlePage)
    # A column (or a home page) moved may take its articles into another site.
    for model in get_page_models():
        post_page_move.connect(related_words_moved, sender=model)
    # The image model, and Wagtail's UploadedFile, where the multiple uploader parks a file when
    # the rest of its form is invalid.
    for model in (get_image_model(), UploadedFile):
        pre_save.connect(
            picture_stored_without_metadata, sender=model, dispatch_uid="strip_metadata"
        )
    for model in (get_image_model(), get_document_model()):
        post_delete.connect(kept_files_deleted_too, sender=model, dispatch_uid="forget_kept_files")

"""The newsroom's receivers, each connected with its sender when Django starts
(NewsConfig.ready): a column added later is open to editors and reviewers, and goes through
review, as soon as it is published; a picture's new file is cleaned of its camera metadata before
it is stored; a deleted picture or document takes the files kept for it along; an article's key
words for 相关阅读 follow its publishing, unpublishing, moves and deletion (news/related/upkeep.py);
the public search's table follows every article saved, published, unpublished or moved
(news/search/indexing.py; a deleted article's row goes with it by its foreign key)."""

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Site, UploadedFile, get_page_models
from wagtail.signals import page_published, page_unpublished, post_page_move

from news.library.metadata import strip_before_storing
from news.library.replacement import forget_kept_files
from news.models import ArticlePage, HomePage, NewsIndexPage
from news.related.upkeep import index_article, index_moved, unindex_article
from news.roles import grant_column
from news.search import indexing


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


def article_saved(sender, instance, update_fields=None, raw=False, **kwargs):
    # A full save writes the content (adding a page, publishing); Wagtail's saves of a draft
    # name their fields and leave the live content as it is, unless they take it offline.
    # Raw saves (fixtures, bench/corpus.py's bulk load) write their rows themselves.
    if raw:
        return
    if update_fields is None:
        indexing.index_article(instance)
    elif "live" in update_fields and not instance.live:
        indexing.unindex(instance.pk)


def article_published(sender, instance, **kwargs):
    indexing.index_article(instance)


def article_unpublished(sender, instance, **kwargs):
    indexing.unindex(instance.pk)


def page_moved(sender, instance, **kwargs):
    indexing.follow_move(instance)


def sites_changed(sender, **kwargs):
    indexing.assign_sites()


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
    post_save.connect(article_saved, sender=ArticlePage, dispatch_uid="search_entry_saved")
    page_published.connect(article_published, sender=ArticlePage, dispatch_uid="search_published")
    page_unpublished.connect(
        article_unpublished, sender=ArticlePage, dispatch_uid="search_unpublished"
    )
    # A column (or a home page) moved takes its articles along.
    for model in (ArticlePage, NewsIndexPage, HomePage):
        post_page_move.connect(page_moved, sender=model, dispatch_uid=f"search_moved_{model}")
    for signal in (post_save, post_delete):
        signal.connect(sites_changed, sender=Site, dispatch_uid=f"search_sites_{signal}")

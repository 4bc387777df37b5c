"""A document taken off every article is still in the library: its address still answers, under
its collection's privacy. Withdrawing it is done in the library, as docs/architecture.md says:
moving it into a private collection, making its collection private, or deleting it."""

from django.test import Client
from wagtail.models import Collection, CollectionViewRestriction

from news.models import ArticleAttachment, ArticlePage
from tests.factories import ArticlePageFactory, library_document

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def anonymous_download(document):
    return Client().get(document.url)


def taken_off_its_article(column):
    """A 附件 published with an article, then taken off it (the article published again)."""
    document = library_document("会议通知", "notice.pdf", PDF)
    article = ArticlePageFactory(parent=column, title="关于召开会议的通知")
    article.attachments.add(ArticleAttachment(document=document, sort_order=0))
    article.save_revision().publish()
    article = ArticlePage.objects.get(pk=article.pk)
    article.attachments.all().delete()
    article.attachments.set([])
    article.save_revision().publish()
    assert not ArticlePage.objects.get(pk=article.pk).attachments.exists()
    return document


def test_a_document_taken_off_every_article_still_answers_at_its_address(column):
    document = taken_off_its_article(column)
    assert anonymous_download(document).status_code == 200


def test_an_editor_withdraws_it_by_moving_it_into_a_private_collection(column, editor_client):
    document = taken_off_its_article(column)
    private = Collection.get_first_root_node().add_child(name="内部资料")
    CollectionViewRestriction.objects.create(collection=private, restriction_type="login")
    answer = editor_client.post(
        f"/admin/documents/edit/{document.pk}/",
        {"title": document.title, "collection": private.pk},
    )
    assert answer.status_code == 302, answer.context["form"].errors
    refused = anonymous_download(document)
    assert refused.status_code == 302 and refused["Location"].startswith("/admin/login/")
    assert editor_client.get(document.url).status_code == 200


def test_making_its_collection_private_withdraws_it_too(column):
    document = taken_off_its_article(column)
    document.collection = Collection.get_first_root_node().add_child(name="会议材料")
    document.save()
    CollectionViewRestriction.objects.create(
        collection=document.collection, restriction_type="password", password="内部学习2024"
    )
    answer = anonymous_download(document)
    assert answer.status_code == 200 and not answer.streaming
    assert 'name="password"' in answer.content.decode()


def test_deleting_it_takes_its_address_away(column, editor_client):
    document = taken_off_its_article(column)
    answer = editor_client.post(f"/admin/documents/delete/{document.pk}/")
    assert answer.status_code == 302
    assert anonymous_download(document).status_code == 404

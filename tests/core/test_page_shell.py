"""The page shell (templates/base.html) keeps its static links, header and menu rendered
(`{% kept %}`, core/templatetags/site_chrome.py) and its footer (contact/templatetags/contact_tags.py):
what differs from page to page is still each page's own, and a change shows on the next request."""

import re

import pytest
from django.test import Client

from tests.factories import ArticlePageFactory


def get(url):
    response = Client().get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def current_menu_item(html):
    return re.findall(r'<li><a href="([^"]+)" aria-current="page">', html)


@pytest.mark.django_db
def test_the_menu_marks_the_section_each_page_is_in(column, other_column, home):
    article = ArticlePageFactory(parent=other_column)
    assert current_menu_item(get(home.url)) == [home.url]
    assert current_menu_item(get(column.url)) == [column.url]
    assert current_menu_item(get(article.url)) == [other_column.url]
    assert current_menu_item(get(column.url)) == [column.url]  # kept, per section


@pytest.mark.django_db
def test_the_correction_link_carries_each_pages_own_address(column, home):
    for url in (home.url, column.url, "/contact/", home.url):
        links = re.findall(r'href="[^"]+\?url=([^"]*)" data-correction-link', get(url))
        assert links == [url]


@pytest.mark.django_db
def test_a_renamed_column_shows_in_the_menu_on_the_next_request(column):
    assert ">工作动态</a>" in get(column.url)
    column.title = "工作动态（新）"
    column.save_revision().publish()
    html = get(column.url)
    assert ">工作动态（新）</a>" in html and ">工作动态</a></li>" not in html

"""Where a click on a page in the reports leads (quality/page_address.py): the page editor (or
the column's pages) for a user who may edit it, else the page as readers see it, else nowhere;
never to an admin page the user would be refused."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Page

from core.content_gate import BANNED
from news.models import ArticlePage
from quality.safety_roles import CONTENT_SAFETY
from quality.scan_findings import ScanFinding
from tests.admin_forms import user_in

pytestmark = pytest.mark.django_db


def article(column, title, live=True):
    page = ArticlePage(title=title, source="测试来源", body=[], live=live)
    column.add_child(instance=page)
    revision = page.save_revision()
    if live:
        revision.publish()
    return Page.objects.get(pk=page.pk)


def finding(site, page):
    return ScanFinding.objects.create(
        site=site, page=page, kind=BANNED, word="测试禁词", where="正文", context="……测试禁词……"
    )


@pytest.fixture
def safety(site, django_user_model):
    """A member of 内容安全管理 (no page permission), signed in."""
    return user_in(django_user_model, CONTENT_SAFETY, "anquan")[1]


def hrefs(html):
    return re.findall(r'href="([^"]*)"', html)


def test_content_safety_is_sent_to_the_live_page_not_the_editor(site, column, safety):
    live = article(column, "在线文章")
    draft = article(column, "草稿文章", live=False)
    finding(site, live)
    finding(site, draft)
    html = safety.get(reverse("quality_scan_findings")).content.decode()
    assert live.url in hrefs(html)
    assert not any("/admin/pages/" in href for href in hrefs(html))
    # A page readers cannot open is named, not linked.
    assert "草稿文章" in html and not re.search(r"<a[^>]*>\s*草稿文章", html)


def test_who_may_edit_the_page_is_sent_to_its_editor(site, column, superuser_client):
    page = article(column, "在线文章")
    finding(site, page)
    html = superuser_client.get(reverse("quality_scan_findings")).content.decode()
    assert reverse("wagtailadmin_pages:edit", args=[page.pk]) in hrefs(html)


def test_the_links_cost_no_query_per_row(site, column, safety):
    def queries(count):
        ScanFinding.objects.all().delete()
        for number in range(count):
            finding(site, article(column, f"文章{count}-{number}"))
        with CaptureQueriesContext(connection) as captured:
            assert safety.get(reverse("quality_scan_findings")).status_code == 200
        return len(captured)

    queries(1)  # caches filled (the site's root paths, the user's permissions)
    assert queries(2) == queries(6)


def test_freshness_columns_lead_to_the_column_for_content_safety(site, column, safety):
    html = safety.get(reverse("quality_freshness")).content.decode()
    assert column.full_url in hrefs(html) or column.url in hrefs(html)
    assert reverse("wagtailadmin_explore", args=[column.pk]) not in hrefs(html)


def test_freshness_columns_lead_to_their_pages_in_the_admin_for_who_may_edit(
    site, column, superuser_client
):
    html = superuser_client.get(reverse("quality_freshness")).content.decode()
    assert reverse("wagtailadmin_explore", args=[column.pk]) in hrefs(html)


def test_the_date_change_record_leads_content_safety_to_the_live_article(site, column, safety):
    from django.utils import timezone

    from quality.date_models import DateChange

    page = article(column, "改过日期的文章")
    now = timezone.now()
    DateChange.objects.create(
        site=site, page=page, title=page.title, new=now, first_published_at=now, origin="publish"
    )
    html = safety.get(reverse("quality_date_changes")).content.decode()
    assert "改过日期的文章" in html
    assert page.url in hrefs(html)
    assert reverse("wagtailadmin_pages:edit", args=[page.pk]) not in hrefs(html)

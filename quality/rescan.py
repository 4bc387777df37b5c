"""The nightly re-scan: every live article and 专题 of each site checked again with the current
错敏词 lists (quality/checking.py), so that a word added today is found on the pages published
before it was listed. The findings of a site replace its previous scan's in one transaction
(quality/scan_findings.py); 报告 → 内容检查 lists them.

Pages are read in batches, their texts with a few queries per page (images' and documents' titles,
attachments); the matcher is built once per scan. `make bench` times a scan of 10,000 articles.
"""

from django.db import transaction
from django.utils import timezone
from wagtail.models import Revision, Site

from core.content_gate import check_object
from news.models import ArticlePage, TopicPage
from quality.scan_findings import ScanFinding

BATCH = 500
SCANNED_TYPES = (ArticlePage, TopicPage)


def live_pages(site):
    for model in SCANNED_TYPES:
        pages = model.objects.live().descendant_of(site.root_page, inclusive=True)
        yield from pages.order_by("pk").iterator(chunk_size=BATCH)


def last_editors(page_ids):
    """{page id: the user of its latest revision}, in one query."""
    editors = {}
    revisions = (
        Revision.page_revisions.filter(object_id__in=[str(pk) for pk in page_ids])
        .order_by("created_at", "pk")
        .values_list("object_id", "user_id")
    )
    for object_id, user_id in revisions:
        editors[int(object_id)] = user_id
    return editors


def scan_site(site, now=None):
    """Check the site's live pages; returns (pages checked, findings)."""
    now = now or timezone.now()
    checked, found = 0, []
    for page in live_pages(site):
        checked += 1
        for finding in check_object(page).findings:
            found.append(
                ScanFinding(
                    site=site,
                    page_id=page.pk,
                    kind=finding.kind,
                    word=finding.word[:200],
                    right=finding.right[:200],
                    where=finding.where[:200],
                    context=finding.context[:400],
                    blocks=finding.blocks,
                    found_at=now,
                )
            )
    editors = last_editors({finding.page_id for finding in found})
    for finding in found:
        finding.editor_id = editors.get(finding.page_id)
    with transaction.atomic():
        ScanFinding.objects.filter(site=site).delete()
        ScanFinding.objects.bulk_create(found, batch_size=BATCH)
    return checked, len(found)


def scan(now=None):
    """Every site; returns what it did, in words (for the daily job's report)."""
    checked = found = 0
    for site in Site.objects.select_related("root_page"):
        pages, findings = scan_site(site, now)
        checked += pages
        found += findings
    return f"错敏词复查 {checked} 个页面，发现 {found} 处"

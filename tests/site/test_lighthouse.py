"""Lighthouse (npm's, in its default mobile settings, driving Debian's Chromium) scores the home page,
a column, an article, the search results and the contact page at least 0.98 for performance and
1.00 for accessibility, best practices and SEO (leaving aside that the search results ask not to be
indexed, as they should)."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from tests.chromium import CHROMIUM
from tests.demo_site import load_demo_site, pages_to_check

NODE_MODULES = Path(settings.BASE_DIR) / "node_modules"
PAGES = ["home", "column", "article", "search", "contact"]
LEAST_SCORE = {"performance": 0.98, "accessibility": 1, "best-practices": 1, "seo": 1}
LIGHTHOUSE_FLAGS = {
    "output": "json",
    "logLevel": "silent",
    "onlyCategories": list(LEAST_SCORE),
    # The picture of the whole page is only for people reading Lighthouse's HTML report.
    "disableFullPageScreenshot": True,
}
CHROMIUM_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu"]
# The search results are kept out of search engines on purpose (noindex, and Disallow in
# robots.txt), which Lighthouse's SEO counts against them.
SKIPPED_AUDITS = {"search": ["is-crawlable"]}

# One Node process and one Chromium for all the pages: Lighthouse's command line, a process a page,
# takes some 5 seconds longer each. Lighthouse still empties the cache and storage before each page.
RUN_LIGHTHOUSE = """
import fs from 'node:fs';
import {launch} from 'chrome-launcher';
import lighthouse from 'lighthouse';

const [pages, flags, chromeFlags] = JSON.parse(process.argv[1]);
const chrome = await launch({chromeFlags});
try {
  for (const {url, report, skipAudits} of pages) {
    const result = await lighthouse(url, {...flags, skipAudits, port: chrome.port});
    fs.writeFileSync(report, result.report);
  }
} finally {
  chrome.kill();
}
"""

pytestmark = [
    # What Lighthouse measures on the public pages is the same HTML on any database.
    pytest.mark.engine_independent,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason="needs Debian's chromium (apt-get install chromium)"
    ),
    pytest.mark.skipif(
        not ((NODE_MODULES / "lighthouse").exists() and shutil.which("node")),
        reason="Lighthouse needs Node and `npm ci` (node_modules/lighthouse)",
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def site_url(live_server):
    load_demo_site()
    return live_server.url


def lighthouse(pages, folder):
    """Lighthouse's report on each page of {name: URL}; one on a page it could not measure has a
    runtimeError, as Lighthouse's own do."""
    reports = {name: folder / f"{name}.json" for name in pages}
    for report in reports.values():
        report.unlink(missing_ok=True)
    argument = [
        [
            {"url": url, "report": str(reports[name]), "skipAudits": SKIPPED_AUDITS.get(name)}
            for name, url in pages.items()
        ],
        LIGHTHOUSE_FLAGS,
        CHROMIUM_FLAGS,
    ]
    run = subprocess.run(
        ["node", "--input-type=module", "--eval", RUN_LIGHTHOUSE, json.dumps(argument)],
        cwd=settings.BASE_DIR,
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        capture_output=True,
        text=True,
        timeout=120 * len(pages),
        check=False,
    )
    failed = {"runtimeError": {"message": run.stderr.strip() or f"exit status {run.returncode}"}}
    return {
        name: json.loads(path.read_text()) if path.exists() else failed
        for name, path in reports.items()
    }


def failing_audits(result, category):
    """Each audit of the category short of full marks, with what Lighthouse found wrong."""
    lines = []
    for ref in result["categories"][category]["auditRefs"]:
        audit = result["audits"][ref["id"]]
        if ref.get("group") == "hidden":  # raw data, and copies of audits that are shown
            continue
        if audit["scoreDisplayMode"] == "error":
            lines.append(f"  {audit['id']}: {audit['title']} — error: {audit.get('errorMessage')}")
        elif audit["score"] is not None and audit["score"] < 1:
            said = audit.get("displayValue") or audit.get("explanation") or ""
            lines.append(f"  {audit['id']}: {audit['title']} {said}".rstrip())
            lines += [f"    {item}" for item in found_items(audit.get("details") or {})]
    return lines


def found_items(details):
    """The rows of an audit's tables as text: the URLs, elements and messages it names."""
    if details.get("type") == "list":
        for table in details.get("items", []):
            yield from found_items(table)
        return
    keys = [heading["key"] for heading in details.get("headings", []) if heading.get("key")]
    for item in details.get("items", []):
        yield " | ".join(shown(key, item[key]) for key in keys if item.get(key) not in (None, ""))


def shown(key, value):
    if isinstance(value, dict) and value.get("type") == "node":
        return f"{value.get('selector', '')} {value.get('snippet', '')}".strip()
    if isinstance(value, dict) and value.get("type") == "source-location":
        return f"{value['url']}:{value['line'] + 1}"
    if isinstance(value, dict):
        return str(value.get("value", value.get("text", value)))
    if isinstance(value, int | float):
        return f"{key} {value:g}"
    return str(value)


def test_public_pages_score_full_marks_in_lighthouse(site_url, tmp_path):
    urls = {name: site_url + url for name, url in pages_to_check() if name in PAGES}
    results = lighthouse(urls, tmp_path)
    # Lighthouse now and then loses the trace of a page load (NO_NAVSTART) and asks to be run again.
    again = {name: urls[name] for name, result in results.items() if "runtimeError" in result}
    if again:
        results.update(lighthouse(again, tmp_path))

    problems = []
    for name, url in urls.items():
        result = results[name]
        if "runtimeError" in result:
            problems.append(f"{name} {url}: Lighthouse failed: {result['runtimeError']['message']}")
            continue
        for category, least in LEAST_SCORE.items():
            score = result["categories"][category]["score"]
            if score is None or score < least:
                problems.append(f"{name} {url}: {category} {score}, needs {least}")
                problems += failing_audits(result, category)
    assert problems == [], "\n".join(problems)

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
STEADY = ["accessibility", "best-practices", "seo"]
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
# A page's `earlier` report counts with its new runs, and the report written is Lighthouse's median
# run of them all (the run nearest the median first paint and time to interactive; a run that lost
# its trace has neither and is left out).
RUN_LIGHTHOUSE = """
import fs from 'node:fs';
import {launch} from 'chrome-launcher';
import lighthouse from 'lighthouse';
import {computeMedianRun, filterToValidRuns} from 'lighthouse/core/lib/median-run.js';

const [pages, flags, chromeFlags] = JSON.parse(process.argv[1]);
const chrome = await launch({chromeFlags});
try {
  for (const {url, report, earlier, runs, skipAudits} of pages) {
    const done = earlier ? [JSON.parse(fs.readFileSync(earlier, 'utf8'))] : [];
    for (let run = 0; run < runs; run++) {
      done.push((await lighthouse(url, {...flags, skipAudits, port: chrome.port})).lhr);
    }
    const measured = filterToValidRuns(done);
    const kept = measured.length ? computeMedianRun(measured) : done.at(-1);
    fs.writeFileSync(report, JSON.stringify({...kept, runsMeasured: measured.length}));
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


def lighthouse(pages, folder, runs=None, earlier=None):
    """Lighthouse's report on each page of {name: URL}: of one run, or of runs[name] more taken
    with the report earlier[name] as Lighthouse's median run. A report on a page Lighthouse could
    not measure has a runtimeError, as Lighthouse's own do."""
    label = "median" if earlier else "first"
    reports = {name: folder / f"{name}-{label}.json" for name in pages}
    argument = [
        [
            {
                "url": url,
                "report": str(reports[name]),
                "earlier": str(earlier[name]) if earlier and earlier[name].exists() else None,
                "runs": runs[name] if runs else 1,
                "skipAudits": SKIPPED_AUDITS.get(name),
            }
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
        timeout=120 * 3 * len(pages),
        check=False,
    )
    failed = {"runtimeError": {"message": run.stderr.strip() or f"exit status {run.returncode}"}}
    return {
        name: json.loads(path.read_text()) if path.exists() else failed
        for name, path in reports.items()
    }


def shortfalls(result, categories):
    """What keeps a report from full marks in `categories`, with the audits behind each lost
    point."""
    if "runtimeError" in result:
        return [f"Lighthouse failed: {result['runtimeError']['message']}"]
    problems = []
    for category in categories:
        score, least = result["categories"][category]["score"], LEAST_SCORE[category]
        if score is None or score < least:
            runs = result.get("runsMeasured", 1)
            judged = f" (the median of {runs} runs)" if runs > 1 else ""
            problems.append(f"{category} {score}{judged}, needs {least}")
            problems += failing_audits(result, category)
    return problems


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
    first = lighthouse(urls, tmp_path)
    # A run's timings move with whatever else the machine is doing (a test beside this one), and
    # now and then Lighthouse loses a page load's trace: a page short of the performance mark, or
    # not measured, is run again until it has three measured runs, and its performance is judged
    # on their median, as Lighthouse's advice on variability and Lighthouse CI do. What does not
    # depend on timing (accessibility, best practices, SEO) is judged on the first measured run.
    again = {name: url for name, url in urls.items() if shortfalls(first[name], ["performance"])}
    median = {}
    if again:
        runs = {name: 3 if "runtimeError" in first[name] else 2 for name in again}
        earlier = {name: tmp_path / f"{name}-first.json" for name in again}
        median = lighthouse(again, tmp_path, runs, earlier)

    problems = []
    for name, url in urls.items():
        timed = median.get(name, first[name])
        steady = timed if "runtimeError" in first[name] else first[name]
        lines = shortfalls(timed, ["performance"])
        lines += [line for line in shortfalls(steady, STEADY) if line not in lines]
        problems += [f"{name} {url}: {line}" for line in lines]
    assert problems == [], "\n".join(problems)

"""Lighthouse (npm's, in its default mobile settings) on pages of a running site, driving Debian's
Chromium: one Node process and one Chromium for all the pages, Lighthouse's JSON report for each.
The accessibility, best-practices and SEO checks use it in tests/site/test_lighthouse.py; the
performance score, which moves with the machine's load, is measured in
bench/lighthouse_performance.py."""

import json
import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu"]
# The search results are kept out of search engines on purpose (noindex, and Disallow in
# robots.txt), which Lighthouse's SEO counts against them.
SKIPPED_AUDITS = {"search": ["is-crawlable"]}

# A process a page (Lighthouse's command line) takes some 5 seconds longer each. Lighthouse still
# empties the cache and storage before each run. The report written for a page is of one run, or
# Lighthouse's median run of several (the run nearest the median first paint and time to
# interactive; a run that lost its trace has neither and is left out).
RUN_LIGHTHOUSE = """
import fs from 'node:fs';
import {launch} from 'chrome-launcher';
import lighthouse from 'lighthouse';
import {computeMedianRun, filterToValidRuns} from 'lighthouse/core/lib/median-run.js';

const [pages, flags, chromeFlags] = JSON.parse(process.argv[1]);
const chrome = await launch({chromeFlags});
try {
  for (const {url, report, runs, skipAudits} of pages) {
    const done = [];
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


def available():
    """Whether Lighthouse can run here: Node, `npm ci`'s node_modules/lighthouse, Chromium."""
    return bool(
        (NODE_MODULES / "lighthouse").exists() and shutil.which("node") and Path(CHROMIUM).exists()
    )


def lighthouse(pages, folder, categories, runs=1):
    """Lighthouse's report on each page of {name: URL} in `categories`, of one run or the median
    of `runs`. A report on a page Lighthouse could not measure has a runtimeError, as
    Lighthouse's own do."""
    flags = {
        "output": "json",
        "logLevel": "silent",
        "onlyCategories": list(categories),
        # The picture of the whole page is only for people reading Lighthouse's HTML report.
        "disableFullPageScreenshot": True,
    }
    Path(folder).mkdir(parents=True, exist_ok=True)
    reports = {name: Path(folder) / f"{name}.json" for name in pages}
    argument = [
        [
            {
                "url": url,
                "report": str(reports[name]),
                "runs": runs,
                "skipAudits": SKIPPED_AUDITS.get(name),
            }
            for name, url in pages.items()
        ],
        flags,
        CHROMIUM_FLAGS,
    ]
    run = subprocess.run(
        ["node", "--input-type=module", "--eval", RUN_LIGHTHOUSE, json.dumps(argument)],
        cwd=ROOT,
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        capture_output=True,
        text=True,
        timeout=120 * runs * len(pages),
        check=False,
    )
    failed = {"runtimeError": {"message": run.stderr.strip() or f"exit status {run.returncode}"}}
    return {
        name: json.loads(path.read_text()) if path.exists() else failed
        for name, path in reports.items()
    }


def shortfalls(result, least):
    """What keeps a report from the scores {category: least score}, with the audits behind each
    lost point."""
    if "runtimeError" in result:
        return [f"Lighthouse failed: {result['runtimeError']['message']}"]
    problems = []
    for category, lowest in least.items():
        score = result["categories"][category]["score"]
        if score is None or score < lowest:
            runs = result.get("runsMeasured", 1)
            judged = f" (the median of {runs} runs)" if runs > 1 else ""
            problems.append(f"{category} {score}{judged}, needs {lowest}")
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

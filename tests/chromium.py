"""Debian's Chromium for the browser tests, started with the flags this machine needs, where
their screenshots go, axe-core run in a page, and a page's network waited on until it is quiet."""

import shutil
import time
from pathlib import Path

from django.conf import settings

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# The browser tests drive Debian's old headless shell (package chromium-headless-shell), the build
# Playwright itself runs headless: the same Chromium (Blink, V8, the same Content-Security-Policy
# checks) without the full browser's window layers, at half its CPU. Lighthouse keeps the full
# browser in its new headless mode, which Lighthouse's scores are made for.
HEADLESS_SHELL = shutil.which("chromium-headless-shell") or CHROMIUM
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(settings.BASE_DIR) / "docs" / "screenshots"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Put into a page before its own scripts run: each Content-Security-Policy violation, written down
# in window.__problems for the test to read.
RECORD_POLICY_VIOLATIONS = """
window.__problems = [];
document.addEventListener('securitypolicyviolation', event =>
  window.__problems.push(`policy: ${event.violatedDirective} ${event.blockedURI}`));
"""


# Only the violations, each with its first three elements, come back from the page: axe's whole
# result (every rule that passed, with every element it looked at) is some 300 KB a page, and
# reading it over the debugging protocol took longer than the check itself.
AXE_VIOLATIONS = """options => axe.run(document, {...options, resultTypes: ['violations']}).then(
  result => result.violations.map(violation => ({
    id: violation.id,
    help: violation.help,
    targets: violation.nodes.slice(0, 3).map(node => node.target),
  })))"""


def axe_violations(page, **options):
    """What axe-core finds wrong in the page as it is now, with `options` for axe.run: a list of
    {id, help, targets}. It is evaluated through the debugging protocol, as the page's
    Content-Security-Policy would refuse a <script> added to it."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(AXE.read_text())
    return page.evaluate(AXE_VIOLATIONS, options)


class NetworkQuiet:
    """The requests a page (and its frames) has in flight, to wait until it has loaded what it
    asks for: nothing in flight for `QUIET_SECONDS`. Playwright's "networkidle" asks for half a
    second of quiet after every page, which was a quarter of the admin journeys' time; a script
    that asks for more when an answer comes asks within milliseconds."""

    QUIET_SECONDS = 0.15

    def __init__(self, page):
        self.page = page
        self.in_flight = set()
        self.changed = time.monotonic()
        page.on("request", self._started)
        page.on("requestfinished", self._ended)
        page.on("requestfailed", self._ended)

    def _started(self, request):
        self.in_flight.add(request)
        self.changed = time.monotonic()

    def _ended(self, request):
        self.in_flight.discard(request)
        self.changed = time.monotonic()

    def wait(self, seconds=30):
        """True once the page is quiet; False if it is still talking after `seconds` (an edit
        form with its preview panel open, say). Playwright hands over the page's events only
        while it waits, so the waiting is done in its short timeouts."""
        deadline = time.monotonic() + seconds
        while self.in_flight or time.monotonic() - self.changed < self.QUIET_SECONDS:
            if time.monotonic() > deadline:
                return False
            self.page.wait_for_timeout(25)
        return True

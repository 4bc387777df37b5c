"""Staff in the admin as they meet it: Debian's Chromium under the headers the site sends, no
policy switched off and nothing injected past it, with every Content-Security-Policy violation,
script error and left-over English string on the screens visited recorded."""

import re
import time

from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError

from tests.chromium import NetworkQuiet

PASSWORD = "journey-pw-1234"
VIEWPORT = {"width": 1280, "height": 900}

# What Wagtail 8.0 showed in English before the project's catalogue (and a few of its own
# templates) completed the Chinese; none of it may appear on a screen a member of staff sees.
LEFT_OVER_ENGLISH = [
    "Search all pages",
    "Choose parent",
    "Create a new",
    "Insert a block",
    "Toggle checks",
    "Saved",
    "Autosave is paused",
    "Go-live:",
    "Schedule to publish",
    "Anyone can edit this",
    "Date updated",
    "Edited by",
    "Has child pages",
    "Page types usage",
    "Shortcuts",
    "Keyboard shortcuts",
    "Locking:",
    "Referenced",
    "Content metrics",
    "Reading time",
    "Go to the first error",
    "You are viewing a previous version",
    "Can add page",
    "Moderators",
    "Editors",
    "Changes requested",
    "Review this version",
    "Exploring",
    "Actions",
    "Approve",
    "Request changes",
    "Search",
    "Root",
    "None",
    # Met on a tour of the admin after those were put in Chinese: the login page, the
    # status panel's relative times, the sites and users lists, the user form, the help menu.
    "Password",
    "登录Wagtail",
    " ago",
    "Site name",
    "Port",
    "Root page",
    "True",
    "False",
    "Email 地址",
]
RANGE_OF = re.compile(r"\d+-\d+ of \d+")

# Every violation is handed to the test through a binding, from the page and from its frames
# (the preview panel): an init script runs before the page's own scripts, and is no script
# added to the page, so the policy is never bypassed.
REPORT_VIOLATIONS = """
document.addEventListener('securitypolicyviolation', event => {
  window.reportViolation(`${event.violatedDirective} ${event.blockedURI} on ${location.pathname}`);
});
"""

# The words a person sees: visible text and the labels read out to them, in the page and in the
# preview frame.
SCREEN_TEXT = """() => {
  const texts = [];
  const read = doc => {
    const walker = doc.createTreeWalker(doc.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const element = walker.currentNode.parentElement;
      if (!element || element.closest('script, style, template, noscript')) continue;
      const style = getComputedStyle(element);
      if (style.display === 'none' || style.visibility === 'hidden') continue;
      const text = walker.currentNode.textContent.trim();
      if (text) texts.push(text);
    }
    const labelled = '[aria-label], [title], [placeholder], input[type=submit][value]';
    for (const element of doc.querySelectorAll(labelled)) {
      for (const name of ['aria-label', 'title', 'placeholder', 'value']) {
        const value = element.getAttribute(name);
        if (value) texts.push(value);
      }
    }
  };
  read(document);
  for (const frame of document.querySelectorAll('iframe')) {
    try { if (frame.contentDocument && frame.contentDocument.body) read(frame.contentDocument); }
    catch (error) { /* another origin: not ours to read */ }
  }
  return texts;
}"""


class Staff:
    """One member of staff, logged in, in a browser context of their own; the sign-in leads to
    the dashboard, or to `lands_on` (the 帐号 page, for a password that must be changed; the
    两步验证 page, for a phone to enrol; the login page again, for a sign-in refused). `code` is
    typed into the login page's 动态验证码 (tests/security/test_two_factor_journey.py)."""

    def __init__(
        self,
        browser,
        base_url,
        username,
        viewport=VIEWPORT,
        password=PASSWORD,
        lands_on=None,
        code=None,
    ):
        self.base_url = base_url
        self.username = username
        self.violations, self.errors, self.english = [], [], set()
        self.refused_autosaves = []
        self.context = browser.new_context(viewport=viewport, locale="zh-CN")
        self.context.expose_binding(
            "reportViolation", lambda _source, text: self.violations.append(text)
        )
        self.context.add_init_script(REPORT_VIOLATIONS)
        self.page = self.context.new_page()
        self.network = NetworkQuiet(self.page)
        self.page.on("console", self._console)
        self.page.on("response", self._response)
        self.page.on("pageerror", lambda error: self.errors.append(f"{self.page.url}: {error}"))
        self.goto(reverse("wagtailadmin_login"))
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", password)
        if code is not None:
            self.page.fill("#id_otp_token", code)
        with self.page.expect_navigation():
            self.page.click("button[type=submit]")
        assert self.page.url == base_url + (lands_on or reverse("wagtailadmin_home")), self.page.url

    def _console(self, message):
        if message.type == "error":
            self.errors.append(f"{self.page.url}: {message.text[:300]}")

    def _response(self, response):
        # Wagtail answers an autosave of a form not yet complete (a new block still waiting for
        # its document, on a machine slow enough for the autosave to come first) with 400 and
        # the errors in JSON (wagtail/admin/views/pages/edit.py, form_invalid): nothing is lost
        # and the page says it could not save yet, but Chromium logs the 400 as a console error.
        request = response.request
        if (
            response.status == 400
            and request.method == "POST"
            and request.resource_type == "fetch"
            and request.url.endswith("/edit/")
            and "json" in response.headers.get("content-type", "")
        ):
            self.refused_autosaves.append(request.url)

    def goto(self, path):
        response = self.page.goto(self.base_url + path)
        self.settle()
        return response

    def settle(self):
        """Wait until the page has loaded what it asks for, then read the screen. An edit form
        with the preview panel open keeps talking to the server, so quiet is not waited for
        long."""
        self.page.wait_for_load_state("load")
        self.network.wait(seconds=3)
        self.look()

    def look(self):
        """Note any left-over English on the screen as it is now (once a page that was still
        moving on, such as a form redirecting after its save, has arrived)."""
        for _attempt in range(2):
            try:
                texts = self.page.evaluate(SCREEN_TEXT)
                break
            except PlaywrightError as error:
                if "context was destroyed" not in str(error):
                    raise
                self.page.wait_for_load_state("load")
        else:
            texts = self.page.evaluate(SCREEN_TEXT)
        for text in texts:
            for english in LEFT_OVER_ENGLISH:
                if english in text:
                    self.english.add(f"{english!r} in {text[:80]!r} on {self.page.url}")
            if RANGE_OF.search(text):
                self.english.add(f"{text[:80]!r} on {self.page.url}")

    def click_and_wait(self, locator):
        """Click something that loads another page (a form's button, a link). Waited for is the
        new page's load: the address alone can change first (Wagtail's autosave of a new page
        rewrites it with the History API), which counts as a navigation but loads nothing."""
        with self.page.expect_event("load"):
            locator.click()
        self.settle()

    def open_actions_menu(self):
        """The arrow beside the main button at the foot of an edit form."""
        self.page.locator("footer [data-w-dropdown-target=toggle]").last.click()
        self.look()

    def assert_met_no_obstacle(self):
        """Nothing the policy refused, no script error, no English: what the journey is for."""
        assert self.violations == [], "\n".join(self.violations)
        # Each refused autosave explains one console line, no more.
        errors = list(self.errors)
        for url in self.refused_autosaves:
            logged = f"{url}: Failed to load resource: the server responded with a status of 400"
            explained = next((error for error in errors if error.startswith(logged)), None)
            if explained is not None:
                errors.remove(explained)
        assert errors == [], "\n".join(errors)
        assert not self.english, "\n".join(sorted(self.english))

    def close(self):
        self.context.close()


def wait_for(check, seconds=10):
    """The live server's threads commit on their own schedule; give them a moment."""
    deadline = time.monotonic() + seconds
    while (result := check()) in (None, False) and time.monotonic() < deadline:
        time.sleep(0.2)
    return result

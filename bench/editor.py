"""The soak test's editor: reads `PAGE_ID MARK` lines and, for each, retitles the article to end in
（修订 MARK） and publishes that as a new revision through Wagtail's revision API, the way the
admin's publish button does, so that the page-published signal invalidates the caches as a real
edit would. It answers each line with `published` or the error. Run it with the stack's
environment, so that it shares the stack's database and cache.
"""

import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sitecms.settings.production")

import django

django.setup()

from news.models import ArticlePage  # noqa: E402

# Earlier soaks' marks are replaced, not stacked, so titles stay as long as they were.
MARK = re.compile(r"（修订 [^）]*）$")


def publish(page_id, mark):
    article = ArticlePage.objects.get(pk=page_id)
    article.title = MARK.sub("", article.title) + f"（修订 {mark}）"
    article.save_revision().publish()


if __name__ == "__main__":
    # One process for the whole soak: Django starts once, as in the server process an editor's
    # publish runs in, instead of adding seconds of start-up to every minute's load.
    print("ready", flush=True)
    for line in sys.stdin:
        page_id, mark = line.split()
        try:
            publish(int(page_id), mark)
            print("published", flush=True)
        except Exception as error:
            print(f"{type(error).__name__}: {error}".replace("\n", " "), flush=True)

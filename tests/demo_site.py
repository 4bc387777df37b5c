"""The demo site as the browser and HTML checks see it: the demo content with the seed article, and
one page of every kind the public site has."""

import atexit
import shutil
import tempfile
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from stack.raw_http import TOOL_UA
from tests import sqlite_copy

SEED_FILE = "000_75590902209970e4.txt"

# The demo site as first built in this test process (its SQLite database and media files), put
# back for each later test that asks for it: building it costs a second and a half of CPU, and
# some thirty browser tests ask for it.
_built = None


def load_demo_site():
    """The demo content, plus the seed article when the shared seed folder is beside the project."""
    global _built
    copyable = sqlite_copy.can_copy()
    if copyable and _built is not None:
        _put_back(_built)
        return
    call_command("setup_site", "--demo", stdout=StringIO())
    seed = Path(settings.BASE_DIR).parent / "shared" / "seed" / SEED_FILE
    if seed.exists():
        call_command("import_articles", str(seed), "--parent", "/news/", stdout=StringIO())
    if copyable:
        _look_at_every_page()
        _built = _keep()


def _look_at_every_page():
    """Every page once, as a tool does (no reader's view is counted): the pictures' renditions are
    made now and kept with the copy, instead of again by the live server in every test (resizing
    and encoding them took a minute of CPU a run)."""
    from django.test import Client
    from wagtail.models import Page

    client = Client(HTTP_USER_AGENT=TOOL_UA)
    for page in Page.objects.live().filter(depth__gt=1).specific():
        client.get(page.url)


def _keep():
    folder = Path(tempfile.mkdtemp(prefix="sitecms-demo-site-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    sqlite_copy.save(folder / "site.sqlite3")
    shutil.copytree(settings.MEDIA_ROOT, folder / "media")
    return folder


def _put_back(folder):
    """The whole database as it was built and the media files."""
    sqlite_copy.put_back(folder / "site.sqlite3")
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
    shutil.copytree(folder / "media", settings.MEDIA_ROOT)


def pages_to_check():
    """(name, URL) of one page of every kind the public site has."""
    from django.utils.timezone import localtime

    from interaction.models import ChannelPage
    from news.importing.demo_documents import NOTICE_TITLE
    from news.models import ArticlePage

    articles = ArticlePage.objects.live()
    with_picture = articles.exclude(cover_image=None).first()
    seed = articles.filter(title="全市社会组织党建工作现场推进会召开").first()
    month = localtime(with_picture.published_at)
    pages = [
        ("home", "/"),
        ("column", "/news/"),
        ("archive", f"{with_picture.get_parent().url}{month:%Y/%m}/"),
        ("article", with_picture.url),
        ("contact", "/contact/"),
        ("search", "/search/?q=%E5%85%9A%E5%BB%BA"),
        ("site-map", "/sitemap/"),
        ("feeds", "/rss/"),
        ("not-found", "/no-such-page/"),
    ]
    pages.append(("topic", "/topic-study/"))
    # 互动交流: a channel's form, 来信查询 and 网站纠错 (as the footer opens it).
    channel = ChannelPage.objects.live().first()
    if channel is not None:
        pages.append(("channel", channel.url))
    pages += [("lookup", "/hudong/chaxun/"), ("correction", "/hudong/jiucuo/?url=/news/")]
    notice = articles.filter(title=NOTICE_TITLE).first()
    if notice is not None:  # a 公文: title, table, signature and 附件
        pages.append(("notice-with-attachments", notice.url))
    video = next(
        (a for a in articles if any(block.block_type == "video" for block in a.body)), None
    )
    if video is not None:  # a 视频 block with its poster and captions
        pages.append(("video-article", video.url))
    if seed is not None:
        pages.append(("seed-article", seed.url))
    from interaction.models import ChannelPage

    channel = ChannelPage.objects.live().first()
    if channel is not None:  # its form and the demo's published replies, and their figures
        pages.append(("channel", channel.url))
        pages.append(("channel-statistics", f"/hudong/tongji/{channel.pk}/"))
    pages.append(("survey", "/zhengji/"))
    return pages


def fill_in_site_identity():
    """The footer's 网站标识码 and 党政机关网站标识 as staff fill them in (empty in the demo)."""
    from wagtail.images.models import Image
    from wagtail.models import Site

    from contact.models import FooterSettings

    footer = FooterSettings.for_site(Site.objects.get(is_default_site=True))
    footer.site_code = "3502000001"
    footer.conac_badge = Image.objects.first()
    footer.conac_url = "https://bszs.conac.cn/sitename?method=show&id=0123456789"
    footer.save()

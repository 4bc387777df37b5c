"""The demo content `make run` loads into an empty site: a fictional organisation's articles in the
seed format (news/demo/), with pictures, click counts and its contact details."""

import io
import random
from collections import Counter
from datetime import timedelta
from pathlib import Path

from django.core.files.images import ImageFile
from django.db import transaction
from django.utils.timezone import localdate
from PIL import Image as PillowImage
from PIL import ImageDraw
from wagtail.images.models import Image

from contact.models import FooterSettings
from news.hits import store
from news.hits.models import PageDailyHits
from news.importing.demo_documents import add_official_notice, add_video
from news.importing.importer import import_article, publish_contact
from news.importing.seedformat import parse
from news.models import ArticlePage, NewsIndexPage, TopicPage
from news.sitetree import COLUMNS

DEMO_DIR = Path(__file__).resolve().parent.parent / "demo"
DEMO_COVER_COUNT = 8
NOTICE_VIEWS = 326
TOPIC_TAG = "学习贯彻党的二十大精神"


def demo_files():
    """(column slug, file) for every demo article, in a stable order."""
    return [
        (slug, path) for slug, _, _ in COLUMNS for path in sorted((DEMO_DIR / slug).glob("*.txt"))
    ]


@transaction.atomic
def load_demo_content(site):
    """Import the demo articles, publish the demo contact details and give some articles pictures."""
    home = site.root_page
    covers = demo_images()
    contact_published = False
    for number, (slug, path) in enumerate(demo_files()):
        column = NewsIndexPage.objects.child_of(home).get(slug=slug)
        article = parse(path.read_text(encoding="utf-8"))
        page = import_article(article, column).page
        if article.contact and not contact_published:
            publish_contact(
                article, site=site, name="青溪市社会组织党建服务中心", **demo_visit_details()
            )
            contact_published = True
            FooterSettings.objects.update_or_create(
                site=site,
                defaults={
                    "copyright": "版权所有 © 青溪市社会组织党建服务中心（示例站点）",
                    "icp_number": "示ICP备00000000号-1",
                    "police_number": "示公网安备 00000000000000号",
                },
            )
        if number < len(covers):
            add_pictures(page, cover=covers[number], picture=covers[(number + 1) % len(covers)])
        add_recent_views(page, article.hits or 0, seed=number)
    notices = NewsIndexPage.objects.child_of(home).get(slug="notices")
    newest = ArticlePage.objects.child_of(notices).order_by("-published_at").first()
    notice = add_official_notice(notices, newest.published_at + timedelta(hours=1))
    store.raise_count(notice.pk, NOTICE_VIEWS)
    add_recent_views(notice, NOTICE_VIEWS, seed=len(demo_files()))
    add_topic(home, banner=covers[-1])
    news = NewsIndexPage.objects.child_of(home).order_by("path").first()
    add_video(news.articles()[1], poster=covers[0])
    publish_into_second_column(home)


def publish_into_second_column(home):
    """一稿多发: the newest report of the first column also appears in the second."""
    first, second = NewsIndexPage.objects.child_of(home).order_by("path")[:2]
    report = first.articles().first()
    report.create_alias(parent=second)


def add_topic(home, banner):
    """A 专题 on the home page, gathering the two newest articles of the first two columns."""
    topic = TopicPage(
        title=TOPIC_TAG,
        slug="topic-study",
        tag=TOPIC_TAG,
        banner_image=banner,
        intro="<p>汇集各栏目学习宣传贯彻党的二十大精神的报道和通知。</p>",
        show_on_home=True,
    )
    home.add_child(instance=topic)
    topic.save_revision().publish()
    for column in NewsIndexPage.objects.child_of(home).order_by("path")[:2]:
        for article in column.articles()[:2]:
            article.tags.add(TOPIC_TAG)
            article.save_revision().publish()


def add_recent_views(page, total, seed):
    """Spread a tenth of an article's count over the last 30 days, so 热点排行 has something to rank."""
    rng = random.Random(seed)  # noqa: S311 - demo figures, not security
    today = localdate()
    buckets = Counter(today - timedelta(days=rng.randrange(30)) for _ in range(total // 10))
    PageDailyHits.objects.bulk_create(
        PageDailyHits(page_id=page.pk, day=day, hits=views) for day, views in buckets.items()
    )


def add_pictures(page: ArticlePage, cover, picture):
    """A cover for the home page and the article head, and a captioned picture in the last section."""
    page.cover_image = cover
    stream = list(page.body.raw_data)
    sections = [block for block in stream if block["type"] == "section"]
    if sections:
        caption = f"{sections[-1]['value']['title']}现场"
        sections[-1]["value"]["body"].insert(
            0, {"type": "image", "value": {"image": picture.pk, "caption": caption}}
        )
    page.body = stream
    page.save_revision().publish()


def demo_images():
    """A few abstract pictures drawn here, so the demo needs no downloaded files."""
    images = list(Image.objects.filter(title__startswith="示例图片")[:DEMO_COVER_COUNT])
    palette = [
        (178, 34, 34),
        (196, 60, 40),
        (160, 32, 56),
        (205, 92, 52),
        (150, 40, 40),
        (120, 30, 30),
    ]
    rng = random.Random(20170524)  # noqa: S311 - decoration, not security
    for index in range(len(images), DEMO_COVER_COUNT):
        canvas = PillowImage.new("RGB", (1200, 675), palette[index % len(palette)])
        draw = ImageDraw.Draw(canvas)
        for _ in range(14):
            x, y, radius = rng.randint(0, 1200), rng.randint(0, 675), rng.randint(40, 260)
            shade = tuple(
                min(255, channel + rng.randint(20, 70)) for channel in palette[index % len(palette)]
            )
            draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=shade)
        draw.rectangle((0, 560, 1200, 675), fill=(250, 240, 220))
        buffer = io.BytesIO()
        canvas.save(buffer, "JPEG", quality=82)
        image = Image(title=f"示例图片 {index + 1}")
        image.file = ImageFile(buffer, name=f"demo-{index + 1}.jpg")
        image.save()
        images.append(image)
    return images


def demo_visit_details():
    """What the 联系我们 page gives beyond the footer, for the fictional organisation. No link to
    a message channel: the demo has none to link to."""
    return {
        "office_hours": "周一至周五 8:30–12:00，14:30–17:30（法定节假日除外）",
        "directions": "\n".join(
            [
                "公交：乘坐 12 路、35 路到溪山路站下车，向东步行约 200 米",
                "地铁：乘坐 1 号线到云岭站，从 B 出口出站，步行约 600 米",
                "自驾：导航至“青溪市云岭区溪山路 88 号”，院内设有访客车位",
            ]
        ),
        "map_image": demo_map(),
    }


def demo_map():
    """A made-up street map with the office marked, drawn here like the other demo pictures."""
    found = Image.objects.filter(title="示例位置图").first()
    if found is not None:
        return found
    canvas = PillowImage.new("RGB", (960, 640), (238, 234, 222))
    draw = ImageDraw.Draw(canvas)
    draw.rectangle((620, 60, 900, 260), fill=(200, 226, 190))  # a park
    draw.polygon([(0, 470), (960, 380), (960, 450), (0, 540)], fill=(170, 205, 230))  # a river
    for x in (120, 360, 600, 840):
        draw.line((x, 0, x - 60, 640), fill=(255, 255, 255), width=18)
    for y in (140, 300):
        draw.line((0, y, 960, y + 30), fill=(255, 255, 255), width=22)
    draw.line((0, 300, 960, 330), fill=(246, 200, 120), width=26)  # the main road
    x, y = 470, 250
    draw.ellipse((x - 22, y - 60, x + 22, y - 16), fill=(190, 30, 30))
    draw.polygon([(x - 18, y - 30), (x + 18, y - 30), (x, y)], fill=(190, 30, 30))
    draw.ellipse((x - 8, y - 46, x + 8, y - 30), fill=(255, 255, 255))
    buffer = io.BytesIO()
    canvas.save(buffer, "PNG", optimize=True)
    image = Image(title="示例位置图")
    image.file = ImageFile(buffer, name="demo-map.png")
    image.save()
    return image

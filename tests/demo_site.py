"""The demo site as the browser and HTML checks see it: the demo content with the seed article, and
one page of every kind the public site has."""

SEED_FILE = "000_75590902209970e4.txt"


def load_demo_site():
    """The demo content, plus the seed article when the shared seed folder is beside the project."""
    from io import StringIO
    from pathlib import Path

    from django.conf import settings
    from django.core.management import call_command

    call_command("setup_site", "--demo", stdout=StringIO())
    seed = Path(settings.BASE_DIR).parent / "shared" / "seed" / SEED_FILE
    if seed.exists():
        call_command("import_articles", str(seed), "--parent", "/news/", stdout=StringIO())


def pages_to_check():
    """(name, URL) of one page of every kind the public site has."""
    from django.utils.timezone import localtime

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
        ("not-found", "/no-such-page/"),
    ]
    if seed is not None:
        pages.append(("seed-article", seed.url))
    return pages

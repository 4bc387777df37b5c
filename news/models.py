"""The newsroom's pages (home, column, article, topic), an article's tags and attachments, and the
scheduler's lock. The tables of its rooms (click counts, import jobs, replaced files, the search
index's state) are in their own models modules, registered by news/apps.py."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.http import Http404, HttpResponsePermanentRedirect
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.timezone import localdate, now
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageManager
from wagtail.search import index
from wagtail.url_routing import RouteResult

from core import limits
from core.admin_forms import SafePageForm
from core.gate_forms import ContentOverridePanel
from core.generation import ARTICLES, MISSING, remember
from core.publishing import AtomicPublishMixin
from core.restrictions import (
    CachedViewRestrictionsMixin,
    ReadablePageQuerySet,
    in_offline_section,
)
from core.richtext import plain_text
from news.blocks import ArticleBodyBlock
from news.copies import CopiesPanel
from news.forms import (
    ArticleCopyForm,
    ArticlePageForm,
    CheckedPageForm,
    DateConfirmationPanel,
    DateReasonPanel,
)
from news.listing import article_path, kept_list, render, rows
from news.pictures import prefetch_pictures, render_picture
from news.review import (
    EDITED,
    SCHEDULE_ONLY,
    SET_SCHEDULE,
    UNCHANGED,
    ReviewFeedbackPanel,
    draft_change,
)
from news.sharing import qr_svg
from news.slugs import is_usable, new_article_slug

ARTICLES_PER_PAGE = 20
# Set on the request by ArticlePage.serve when the page sent is a live article: the view the
# counter (news/hits/counting.py) counts. Never guessed from the URL.
COUNTABLE_PAGE_ATTR = "countable_article_id"
# The live article itself, set beside it.
SERVED_ARTICLE_ATTR = "served_article"


class HomePage(AtomicPublishMixin, CachedViewRestrictionsMixin, Page):
    """The portal's front page: latest articles of every column."""

    base_form_class = SafePageForm

    intro = RichTextField("导语", blank=True, features=["bold", "italic", "link"])
    latest_per_column = models.PositiveSmallIntegerField("每个栏目显示篇数", default=6)
    notices_column = models.ForeignKey(
        "news.NewsIndexPage",
        verbose_name="通知公告栏目",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="在首页右上方以“通知公告”列出的栏目",
    )
    picture_news_count = models.PositiveSmallIntegerField("图片新闻篇数", default=5)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("notices_column"),
        FieldPanel("picture_news_count"),
        FieldPanel("latest_per_column"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "news.NewsIndexPage",
        "news.TopicPage",
        "contact.ContactPage",
        "interaction.ChannelPage",
        "interaction.SurveyPage",
    ]

    class Meta:
        verbose_name = "首页"

    def columns(self):
        return NewsIndexPage.objects.child_of(self).live().public()

    def route(self, request, path_components):
        # Most requests go to a column or an article: fetch the column as its own type in one query.
        if path_components:
            column = NewsIndexPage.objects.child_of(self).filter(slug=path_components[0]).first()
            if column is not None:
                if not column.live:
                    raise Http404
                return column.route(request, path_components[1:])
        return super().route(request, path_components)

    def column_blocks(self):
        """Each column with its latest articles, as plain data cached until the tree changes."""

        def compute():
            return [
                {
                    "pk": column.pk,
                    "title": column.title,
                    "url": column.url,
                    # Without counts: the whole list is one piece of HTML.
                    "article_list": render(
                        rows(column.articles()[: self.latest_per_column], column.url),
                        with_counts=False,
                    ),
                }
                for column in self.columns()
            ]

        return remember(f"home:{self.pk}:columns", compute)

    def picture_news(self):
        """The latest articles with a cover picture, for the home page's carousel."""

        def compute():
            articles = list(
                ArticlePage.objects.readable()
                .originals()
                .descendant_of(self)
                .exclude(cover_image=None)
                .newest_first()[: self.picture_news_count]
            )
            prefetch_pictures(articles)
            return [
                {
                    **article_link(article),
                    "picture": render_picture(article.cover_image, "slide", first=number == 0),
                }
                for number, article in enumerate(articles)
            ]

        return remember(f"home:{self.pk}:pictures", compute)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        blocks = self.column_blocks()
        context["notices"] = next((b for b in blocks if b["pk"] == self.notices_column_id), None)
        context["column_blocks"] = [b for b in blocks if b["pk"] != self.notices_column_id]
        context["picture_news"] = self.picture_news()
        context["topics"] = self.featured_topics()
        return context

    def featured_topics(self):
        """The 专题 an editor chose to list on the home page, with their banners."""

        def compute():
            topics = TopicPage.objects.child_of(self).live().public().filter(show_on_home=True)
            return [
                {
                    "title": topic.title,
                    "url": topic.url,
                    "picture": render_picture(topic.banner_image, "topic", alt="")
                    if topic.banner_image
                    else "",
                }
                for topic in topics.select_related("banner_image")
            ]

        return remember(f"home:{self.pk}:topics", compute)


def neighbours_key(pk):
    """The cache name of an article's 上一篇/下一篇 (ArticlePage.neighbours)."""
    return f"article:{pk}:neighbours"


def article_link(article):
    return {"title": article.title, "url": article.reader_url, "published_at": article.published_at}


class ArticlePageQuerySet(ReadablePageQuerySet):
    def in_column(self, column):
        return self.child_of(column)

    def newest_first(self):
        return self.order_by("-published_at", "-pk")

    def originals(self):
        """Without the copies an article published into other columns has (一稿多发): where
        each article should appear once (search, the whole site's feed, the carousel, topics)."""
        return self.filter(alias_of__isnull=True)

    def most_read(self, since=None):
        """Articles with their `views`, most read first: all time, or from a day on (daily buckets)."""
        if since is None:
            ranked = self.annotate(views=models.F("hit_count__hits"))
        else:
            ranked = self.filter(daily_hits__day__gte=since).annotate(
                views=models.Sum("daily_hits__hits")
            )
        return ranked.filter(views__gt=0).order_by("-views", "-published_at")


ArticlePageManager = PageManager.from_queryset(ArticlePageQuerySet)


def redirect_keeping_query(request, url):
    """A permanent redirect to a page's one address, with the query (a page number) kept."""
    if request.META.get("QUERY_STRING"):
        url += "?" + request.META["QUERY_STRING"]
    return HttpResponsePermanentRedirect(url)


class UpdateClass(models.IntegerChoices):
    """How recent a column's latest article must be when the site is inspected
    (国办秘函〔2019〕19号 and the monitors that apply it). The stored value is the number of days,
    so that a class and its limit are one fact; 0 is a column nobody monitors."""

    NEWS = 14, "动态要闻类（2 周内须有更新）"
    NOTICES = 183, "通知公告、政策文件类（6 个月内须有更新）"
    PLANS = 365, "人事、规划类（1 年内须有更新）"
    UNMONITORED = 0, "不监测"


class NewsIndexPage(AtomicPublishMixin, CachedViewRestrictionsMixin, Page):
    """A column (栏目) such as 工作动态: its articles, newest first, twenty to a page."""

    base_form_class = SafePageForm

    intro = RichTextField("栏目介绍", blank=True, features=["bold", "italic", "link"])
    update_class = models.PositiveSmallIntegerField(
        "更新要求",
        choices=UpdateClass.choices,
        default=UpdateClass.NEWS,
        help_text="网站检查按栏目类别查看最近一次更新：动态要闻类 2 周、通知公告和政策文件类 6 个月、"
        "人事和规划类 1 年；超期未更新的栏目会在“报告 → 栏目更新”中列出并发出预警。",
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("update_class")]

    parent_page_types = ["news.HomePage"]
    subpage_types = ["news.ArticlePage"]

    class Meta:
        verbose_name = "栏目"

    def articles(self):
        return ArticlePage.objects.readable().in_column(self).newest_first()

    def archive_url(self, year, month, request=None):
        return f"{self.get_url(request)}{year:04d}/{month:02d}/"

    def archive_months(self):
        """按月浏览: every month with articles, newest first, with its count and address."""

        def compute():
            months = (
                self.articles()
                .order_by()
                .annotate(month=TruncMonth("published_at", tzinfo=ZoneInfo(settings.TIME_ZONE)))
                .values("month")
                .annotate(count=Count("pk"))
                .order_by("-month")
            )
            return [
                {
                    "year": row["month"].year,
                    "month": row["month"].month,
                    "count": row["count"],
                    "url": self.archive_url(row["month"].year, row["month"].month),
                }
                for row in months
            ]

        return remember(f"column:{self.pk}:months", compute)

    def has_archive_for(self, year, month):
        """Whether a month's page is a page: a month with articles, or an empty one between the
        column's first article and this month. Before the first or after today an empty month
        is a 404, not a soft one (a 200 saying 暂无文章 that search engines would index)."""
        listed = [(row["year"], row["month"]) for row in self.archive_months()]
        if (year, month) in listed:
            return True
        today = localdate()
        return bool(listed) and min(listed) <= (year, month) <= (today.year, today.month)

    def route(self, request, path_components):
        # Articles live at <column>/<yyyy>/<mmdd>/<id>/; the slug URL Wagtail would use, and a
        # URL whose date part is out of date, redirect there permanently.
        if is_article_path(path_components):
            return self.route_to_article(self.path, path_components)
        if len(path_components) == 2 and all(is_number(part) for part in path_components):
            year, month = (int(part) for part in path_components)
            if not (1 <= month <= 12 and 1900 <= year <= 2999):
                raise Http404
            if not self.has_archive_for(year, month):
                raise Http404
            # One address a month: /2024/8/ and /2024/008/ redirect to /2024/08/.
            canonical = path_components == [f"{year:04d}", f"{month:02d}"]
            return RouteResult(
                self, kwargs={"archive": (year, month), "redirect_to_canonical": not canonical}
            )
        if len(path_components) == 1:
            article = (
                ArticlePage.objects.live().child_of(self).filter(slug=path_components[0]).first()
            )
            if article is not None:
                return RouteResult(article, kwargs={"redirect_to_canonical": True})
        return super().route(request, path_components)

    @staticmethod
    def route_to_article(column_path, path_components, article=MISSING):
        """The route to the article a `<yyyy>/<mmdd>/<id>` URL of the column at `column_path` names
        (`article`, when the caller has it already, news/serving/routing.py): whichever column the
        article is in now (elsewhere, or with another date, the route redirects to its current
        URL)."""
        if article is MISSING:
            article = (
                ArticlePage.objects.live()
                .defer("body")  # loaded only when its rendering is not cached
                .filter(pk=int(path_components[2]))
                .first()
            )
        if article is None:
            raise Http404
        is_canonical = article.path.startswith(column_path) and article.url_components == list(
            path_components
        )
        return RouteResult(article, kwargs={"redirect_to_canonical": not is_canonical})

    def serve(self, request, *args, redirect_to_canonical=False, **kwargs):
        if redirect_to_canonical:
            return redirect_keeping_query(request, self.archive_url(*kwargs["archive"], request))
        if (kwargs.get("archive") or is_later_page(request)) and over_list_limit(request):
            return limits.too_many(request, settings.UNCACHED_RATE_LIMIT)
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, archive=None, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        articles = self.articles()
        if archive is not None:
            year, month = archive
            start = datetime(year, month, 1, tzinfo=ZoneInfo(settings.TIME_ZONE))
            end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=start.tzinfo)
            articles = articles.filter(published_at__gte=start, published_at__lt=end)
            context["archive"] = {"year": year, "month": month}
        context["archive_months"] = self.archive_months()
        period = "{}-{}".format(*archive) if archive else "all"
        shown = article_page(request, articles, f"column:{self.pk}:count:{period}")
        context["articles"] = shown
        context["article_list"] = kept_list(
            f"column:{self.pk}:list:{period}:{shown.number}",
            lambda: rows(shown.object_list, self.get_url(request)),
        )
        return context


# The largest id a database row can have (a signed 64-bit integer): a larger number in a URL can
# name no article, and asking the database for it would overflow.
MAX_ID = 2**63 - 1


def is_number(part):
    """ASCII digits only: str.isdigit() also accepts ² and ①, which int() refuses."""
    return part.isascii() and part.isdigit()


def is_article_path(path_components):
    """Whether the path below a column is an article's `<yyyy>/<mmdd>/<id>`."""
    return (
        len(path_components) == 3
        and all(is_number(part) for part in path_components)
        and int(path_components[2]) <= MAX_ID
    )


def is_later_page(request):
    return request.GET.get("page", "1") != "1"


def over_list_limit(request):
    """Whether this address has asked for too many months or later pages of lists that no
    cache held: each costs a query over the column (core/limits.py)."""
    return limits.exceeded(request, "uncached", settings.UNCACHED_RATE_LIMIT)


# Set on the request when the page number asked for is the one served, written as the site
# writes it: only such pages go into the page cache, so random ?page= values cannot fill it.
CANONICAL_PAGE_ATTR = "page_number_is_canonical"


def article_page(request, articles, count_key):
    """The page of `articles` the request asks for, twenty to a page, with their counts loaded.
    Counting thousands of articles on every view would make a column slower as it grows; the
    count changes only when the tree does, so it is remembered under `count_key`."""
    paginator = Paginator(articles.select_related("hit_count"), ARTICLES_PER_PAGE)
    paginator.count = remember(count_key, articles.count)
    return paginated(request, paginator)


def paginated(request, paginator):
    """The page of `paginator` the request asks for (clamped into range), noting on the request
    whether that is exactly the page asked for."""
    raw = request.GET.get("page")
    page = paginator.page(clamp_page_number(raw, paginator))
    setattr(request, CANONICAL_PAGE_ATTR, raw is None or raw == str(page.number))
    return page


def clamp_page_number(raw, paginator):
    """A page number from the query string, made safe: garbage is 1, out of range is the nearest page."""
    try:
        number = int(raw)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), paginator.num_pages)


class ArticlePage(AtomicPublishMixin, CachedViewRestrictionsMixin, Page):
    """One report: dated, sourced, with a body of paragraphs, pictures and agenda sections."""

    base_form_class = ArticlePageForm

    published_at = models.DateTimeField("发布时间", default=now, db_index=True)
    source = models.CharField("来源", max_length=100, blank=True)
    author = models.CharField("作者", max_length=100, blank=True)
    editor = models.CharField("责任编辑", max_length=100, blank=True)
    summary = models.TextField("摘要", blank=True, max_length=500)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="封面图片",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(ArticleBodyBlock(), verbose_name="正文", blank=True)
    tags = ClusterTaggableManager(
        "专题标签",
        through="news.ArticleTag",
        blank=True,
        help_text="文章所属的专题，例如“学习贯彻党的二十大精神”；专题页面汇集带有其标签的文章",
    )
    # Identifies the source document of an imported article, so a re-import updates it.
    import_key = models.CharField(max_length=64, blank=True, db_index=True, editable=False)

    objects = ArticlePageManager()
    copy_form_class = ArticleCopyForm
    # Publishing one changes the lists it is in and its neighbours, not the rest of the site
    # (core/generation.py).
    generation_scope = ARTICLES

    content_panels = [
        ReviewFeedbackPanel(heading="审核意见"),
        ContentOverridePanel(),
        CopiesPanel(heading="一稿多发"),
        # Not Wagtail's TitleFieldPanel: it copies the title into a slug field, which articles
        # do not have (news/slugs.py).
        FieldPanel(
            "title", classname="title", widget=forms.TextInput(attrs={"placeholder": "文章标题*"})
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("published_at"), FieldPanel("source")]),
                DateConfirmationPanel(),
                DateReasonPanel(),
                FieldRowPanel([FieldPanel("author"), FieldPanel("editor")]),
            ],
            heading="发布信息",
        ),
        FieldPanel("summary"),
        FieldPanel("cover_image"),
        FieldPanel("tags"),
        FieldPanel("body"),
        InlinePanel(
            "attachments",
            heading="附件",
            label="附件",
            help_text="文末列出的下载文件（通知、报名表等），可从文档库选择或当场上传",
        ),
    ]

    # No slug: an article's URL is its column, date and id (news/slugs.py).
    promote_panels = [
        MultiFieldPanel(
            [FieldPanel("seo_title"), FieldPanel("search_description")], heading="搜索引擎"
        )
    ]

    # The admin's relevance (news/search/backend.py): title ≫ summary > the rest, as the public
    # search ranks them (news/search/scoring.py).
    search_fields = [
        *(
            index.SearchField("title", boost=10)
            if isinstance(field, index.SearchField) and field.field_name == "title"
            else field
            for field in Page.search_fields
        ),
        index.SearchField("summary", boost=3),
        index.SearchField("search_text"),
        index.FilterField("published_at"),
    ]

    parent_page_types = ["news.NewsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "文章"
        verbose_name_plural = "文章"

    # The slug never appears in a URL and is not in the form (news/slugs.py).
    # Wagtail validates live pages with full_clean() and drafts with minimal_clean().
    def ensure_slug(self):
        if not is_usable(self.slug):
            parent = self.get_parent() if self.path else None
            self.slug = new_article_slug(parent, self.published_at, self)

    def full_clean(self, *args, **kwargs):
        self.ensure_slug()
        super().full_clean(*args, **kwargs)

    def minimal_clean(self):
        self.ensure_slug()
        super().minimal_clean()

    def save_revision(self, user=None, log_action=False, overwrite_revision=None, **kwargs):
        """Wagtail's, except that a draft identical to the latest revision is not saved again
        (Wagtail saved one, as 已保存草稿 under the name of a reviewer who had only opened the
        article and decided on it), and a draft that only sets the publishing schedule is logged
        as 设置发布计划 (news/review.py)."""
        latest = self.get_latest_revision()
        plain_save = not kwargs.get("previous_revision") and not kwargs.get("approved_go_live_at")
        change = draft_change(self, latest) if latest is not None and plain_save else EDITED
        if change == UNCHANGED:
            return latest
        if change == SCHEDULE_ONLY and log_action is True:
            log_action = SET_SCHEDULE
        if overwrite_revision is not None and overwrite_revision.user_id != getattr(
            user, "pk", None
        ):
            # The editor's autosave was handed the latest revision, someone else's, when nothing
            # had changed; its next save is a revision of its own, not an overwrite of theirs.
            overwrite_revision = None
        return super().save_revision(
            user=user, log_action=log_action, overwrite_revision=overwrite_revision, **kwargs
        )

    # URLs ---------------------------------------------------------------------------------------

    @property
    def url_components(self):
        return article_path(self.published_at, self.pk).rstrip("/").split("/")

    def get_url_parts(self, request=None):
        parts = super().get_url_parts(request)
        if parts is None or parts[2] is None or self.pk is None:
            return parts
        site_id, root_url, page_path = parts
        column_path = page_path.rstrip("/").rsplit("/", 1)[0]
        return site_id, root_url, "/".join([column_path, *self.url_components]) + "/"

    def original(self):
        """The article itself, or, for a copy published into another column (一稿多发), the
        article it copies: the one URL, count and search result they share."""
        if not self.alias_of_id:
            return self
        if "_original" not in self.__dict__:
            found = ArticlePage.objects.select_related("hit_count").filter(pk=self.alias_of_id)
            self.__dict__["_original"] = found.first() or self
        return self.__dict__["_original"]

    def create_alias(self, **kwargs):
        """Publishing a copy into another column always copies the original. Wagtail would make
        a copy of a copy point at that copy, and what readers may see (core/restrictions.py)
        looks one step up, to the original, for its password, login restriction or column."""
        if self.alias_of_id:
            return self.original().create_alias(**kwargs)
        return super().create_alias(**kwargs)

    @property
    def reader_url(self):
        """Where readers read it: a copy listed in another column links straight to the
        original's address, where it would otherwise be redirected."""
        original = self.original()
        return original.url if original is not self else self.url

    def get_sitemap_urls(self, request=None):
        return [] if self.alias_of_id else super().get_sitemap_urls(request)

    def serve(self, request, *args, redirect_to_canonical=False, **kwargs):
        if self.alias_of_id and not getattr(request, "is_preview", False):
            # A copy in another column is listed there, but read at the original's address,
            # and answers as the original does: Wagtail has applied the original's view
            # restrictions already, and an original that is offline is not found here either.
            original = self.original()
            if not original.live or in_offline_section(original):
                raise Http404
            redirect_to_canonical = True
        if redirect_to_canonical:
            return redirect_keeping_query(request, self.original().get_url(request))
        if self.live:
            # Reached only past Wagtail's checks (a password form or a login redirect is sent
            # instead of the article, and counts nothing): the counter counts this page, and the
            # page cache keeps it with what it depends on.
            setattr(request, COUNTABLE_PAGE_ATTR, self.pk)
            setattr(request, SERVED_ARTICLE_ATTR, self)
        return super().serve(request, *args, **kwargs)

    # Search --------------------------------------------------------------------------------------

    def plain_text(self):
        """Title, summary, source and body as plain text, for search and its snippets."""
        parts = [self.title, self.summary, self.source, self.author]
        parts += [self.body_text()]
        return " ".join(part for part in parts if part)

    def body_text(self):
        """The body's words, as a search result quotes them."""
        return stream_text(self.body.raw_data)

    def search_text(self):
        # Segmented for Chinese by the search backend (news/search/backend.py), as every field is.
        return self.plain_text()

    # What the article page shows ----------------------------------------------------------------

    @property
    def click_count_stored(self):
        """The count in the database (loaded with the page where the query asked for it); a
        copy in another column shows its original's, the one count they share."""
        if (original := self.original()) is not self:
            return original.click_count_stored
        try:
            return self.hit_count.hits  # the click counter's table (news/hits/models.py)
        except ObjectDoesNotExist:
            return 0

    @property
    def teaser(self):
        if self.summary:
            return self.summary
        for block in self.body:
            if block.block_type == "paragraph":
                return Truncator(plain_text(block.value.source)).chars(120)
        return ""

    def sections(self):
        """The agenda sections with their anchors, for the table of contents and the headings."""
        blocks = [block for block in self.body if block.block_type == "section"]
        return [(f"section-{number}", block) for number, block in enumerate(blocks, 1)]

    def body_with_anchors(self):
        anchors = {block.id: anchor for anchor, block in self.sections()}
        return [(block, anchors.get(block.id)) for block in self.body]

    def sibling_articles(self):
        return ArticlePage.objects.readable().sibling_of(self, inclusive=False)

    def neighbours(self, request=None):
        """上一篇 (the next older article in the column) and 下一篇 (the next newer), as links or
        None. Cached under the generation, articles number included: any article published
        may be a new neighbour (news/serving/pagecache.py compares them to a kept page's)."""
        if self.pk is None:  # previewing an article that has not been saved yet
            return None, None

        def compute():
            older = Q(published_at__lt=self.published_at) | Q(
                published_at=self.published_at, pk__lt=self.pk
            )
            newer = Q(published_at__gt=self.published_at) | Q(
                published_at=self.published_at, pk__gt=self.pk
            )
            siblings = self.sibling_articles().only("title", "url_path", "published_at", "alias_of")
            previous = siblings.filter(older).newest_first().first()
            following = siblings.filter(newer).order_by("published_at", "pk").first()
            return (
                article_link(previous) if previous else None,
                article_link(following) if following else None,
            )

        if getattr(request, "is_preview", False):
            return compute()  # a draft's date would place it elsewhere in the column
        return remember(neighbours_key(self.pk), compute)

    def published_parts(self, request):
        """What changes only when the article is published: its cover, contents and body
        rendered to HTML, its share picture and its teaser. Cached per published revision (and
        tree version); a preview is always rendered afresh."""

        def compute():
            prefetch_pictures([self])
            share_image = (
                self.cover_image.get_rendition("fill-1200x630") if self.cover_image else None
            )
            return {
                "main": mark_safe(  # noqa: S308 - rendered by a template with autoescaping
                    render_to_string(
                        "news/includes/article_main.html",
                        {"page": self, "sections": self.sections()},
                    )
                ),
                "share_image": share_image.url if share_image else None,
                "teaser": self.teaser,
            }

        if getattr(request, "is_preview", False) or self.pk is None:
            return compute()
        # Its own revision is in the key: other articles' publishing leaves it.
        name = f"article:{self.pk}:{self.live_revision_id}:published"
        return remember(name, compute, articles=False)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        published = context["published"] = self.published_parts(request)
        context["hit_mode"] = settings.HITCOUNT_MODE
        context["previous_article"], context["next_article"] = self.neighbours(request)
        context["share_image_url"] = published["share_image"] and request.build_absolute_uri(
            published["share_image"]
        )
        if self.url:  # a new article's preview has no address yet
            context["share_url"] = request.build_absolute_uri(self.url)
            context["share_qr"] = qr_svg(context["share_url"], f"《{self.title}》的二维码")
        return context


class ArticleTag(TaggedItemBase):
    """An article's 专题 tag."""

    content_object = ParentalKey(ArticlePage, related_name="tagged_items", on_delete=models.CASCADE)

    class Meta:
        verbose_name = "专题标签"
        verbose_name_plural = "专题标签"


class TopicPage(AtomicPublishMixin, CachedViewRestrictionsMixin, Page):
    """A 专题 such as 学习贯彻党的二十大精神: the live articles tagged with its tag, from every
    column, newest first, under its own banner and introduction, with its own feed."""

    base_form_class = CheckedPageForm

    tag = models.CharField(
        "专题标签",
        max_length=100,
        help_text="汇集带有这个标签的文章；在文章的“专题标签”中填写同样的文字",
    )
    banner_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="专题横幅图片",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    intro = RichTextField("专题介绍", blank=True, features=["bold", "italic", "link"])
    show_on_home = models.BooleanField("在首页列出", default=False)

    content_panels = [
        ContentOverridePanel(),
        *Page.content_panels,
        FieldPanel("tag"),
        FieldPanel("banner_image"),
        FieldPanel("intro"),
        FieldPanel("show_on_home"),
    ]

    parent_page_types = ["news.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = "专题"
        verbose_name_plural = "专题"

    def articles(self):
        return (
            ArticlePage.objects.readable()
            .originals()
            .filter(tags__name=self.tag)
            .distinct()
            .newest_first()
        )

    def serve(self, request, *args, **kwargs):
        if is_later_page(request) and over_list_limit(request):
            return limits.too_many(request, settings.UNCACHED_RATE_LIMIT)
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        shown = article_page(request, self.articles(), f"topic:{self.pk}:count")
        context["articles"] = shown
        context["article_list"] = kept_list(
            f"topic:{self.pk}:list:{shown.number}", lambda: rows(shown.object_list)
        )
        return context


class ArticleAttachment(Orderable):
    """A file listed under an article's text as 附件, in the order the editor gives."""

    page = ParentalKey(ArticlePage, related_name="attachments", on_delete=models.CASCADE)
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name="文件", on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(
        "显示名称", max_length=255, blank=True, help_text="留空则使用文件的标题"
    )

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = "附件"
        verbose_name_plural = "附件"

    @property
    def name(self):
        return self.title or self.document.title


def stream_text(raw_blocks):
    """The words of a body's raw stream data: paragraphs, captions, section labels, titles and
    sub-headings. Raw data needs no database: the images are never loaded for it."""
    parts = []
    for block in raw_blocks:
        value = block["value"]
        if block["type"] == "paragraph":
            parts.append(plain_text(value))
        elif block["type"] == "image":
            parts.append(value.get("caption") or "")
        elif block["type"] == "section":
            # As the page heads the section: 议程一：实地观摩.
            parts += [f"{value['label']}：{value['title']}", stream_text(value["body"])]
        elif block["type"] == "subsection":
            parts += [value["heading"], stream_text(value["body"])]
        elif block["type"] in ("document_title", "signature"):
            parts.append(value)
        elif block["type"] == "table":
            parts.append(value.get("caption") or "")
            parts += [column.get("heading") or "" for column in value.get("columns", [])]
            for row in value.get("rows", []):
                parts += [table_cell_text(cell) for cell in row.get("values", [])]
        elif block["type"] == "video":
            parts += [value.get("title") or "", value.get("transcript") or ""]
    return " ".join(part for part in parts if part)


def table_cell_text(cell):
    return plain_text(str(cell)) if cell is not None else ""


class SchedulerLock(models.Model):
    """A row to lock so that one server process at a time runs scheduled publishing (news/scheduler.py)
    or claims an import job (news/importing/worker.py)."""

    name = models.CharField(primary_key=True, max_length=40)

    class Meta:
        verbose_name = "定时发布锁"
        verbose_name_plural = "定时发布锁"

    def __str__(self):
        return self.name

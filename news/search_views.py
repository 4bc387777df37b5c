"""站内搜索 at /search/?q=: Chinese full-text search over live articles, filterable by column."""

from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.views.decorators.http import require_safe

from .models import ArticlePage, NewsIndexPage, clamp_page_number
from .search import count_matches, highlight, query_terms, search_articles

RESULTS_PER_PAGE = 10


@require_safe
def search(request):
    query = request.GET.get("q", "").strip()
    columns = list(
        NewsIndexPage.objects.live().public().order_by("path").only("title", "path", "depth")
    )
    column = next((c for c in columns if str(c.pk) == request.GET.get("column", "")), None)
    terms = query_terms(query)
    articles = ArticlePage.objects.live().public()
    if column is not None:
        articles = articles.child_of(column)
    results = search_articles(articles, query) if terms else articles.none()
    paginator = Paginator(results, RESULTS_PER_PAGE)
    paginator.count = count_matches(articles, query, results, scope=column.pk if column else "all")
    page = paginator.page(clamp_page_number(request.GET.get("page"), paginator))
    column_titles = {c.path: c.title for c in columns}
    hits = [
        {
            "article": article,
            "column": column_titles.get(article.path[: -ArticlePage.steplen], ""),
            "title": highlight(article.title, terms, length=200),
            "snippet": highlight(article.plain_text(), terms),
        }
        for article in page.object_list
    ]
    return TemplateResponse(
        request,
        "news/search.html",
        {
            "query": query,
            "terms": terms,
            "columns": columns,
            "column": column,
            "results": page,
            "hits": hits,
            "searched": bool(query),
        },
    )

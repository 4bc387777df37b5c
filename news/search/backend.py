"""Wagtail's database search backend, made to find Chinese words everywhere it is used.

The public search, the admin's page explorer and listings, and the image, document, page and
snippet choosers all ask the search backend. This one is Wagtail's own database backend (FTS5 on
SQLite, tsvector on PostgreSQL) with Chinese segmented on both sides, as news/search/tokens.py does it:
every indexed text is stored as its CJK characters and character pairs, then its words
(news/search/words.py, for relevance), and every query is turned
into the pairs of its Chinese words, so 党建 finds "全市社会组织党建工作现场推进会召开" in a title,
a caption or a body. Latin words and numbers pass through whole.
"""

import copy
import re

from modelsearch.backends.database import SearchBackend as database_backend
from modelsearch.index import AutocompleteField, RelatedFields, SearchField
from modelsearch.query import And, Boost, Not, Or, Phrase, PlainText

from news.search.models import SearchIndexState
from news.search.tokens import CJK_RUN, query_terms, query_tokens
from news.search.words import index_terms

CJK = re.compile(CJK_RUN)


def as_text(value):
    """A field's value as one string, the way Wagtail's indexer joins lists and dicts."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple):
        return " ".join(as_text(item) for item in value)
    if isinstance(value, dict):
        return " ".join(as_text(item) for item in value.values())
    return str(value)


class IndexedView:
    """What the indexer reads of an object: its primary key and its search fields, with every
    text value segmented."""

    def __init__(self, obj):
        self.obj = obj
        self.pk = obj.pk

    def get_search_fields(self):
        return [segmented(field) for field in self.obj.get_search_fields()]


def unwrap(obj):
    return obj.obj if isinstance(obj, IndexedView) else obj


def segmented(field):
    """A copy of a search field whose value is segmented; other fields (filters) unchanged."""
    if isinstance(field, RelatedFields):
        related = copy.copy(field)
        related.fields = [segmented(sub_field) for sub_field in field.fields]
        related.get_value = lambda obj: field.get_value(unwrap(obj))
        return related
    if isinstance(field, SearchField | AutocompleteField):
        text_field = copy.copy(field)
        text_field.get_value = lambda obj: index_terms(as_text(field.get_value(unwrap(obj))))
        return text_field
    return field


def segmented_text(text):
    return " ".join(query_tokens(query_terms(text)))


def segmented_query(query):
    """A query as the tokens the index holds: a typed string, or the query objects the admin
    builds from one (PlainText, Phrase, and their And/Or/Not/Boost combinations)."""
    if isinstance(query, str):
        return segmented_text(query)
    if isinstance(query, PlainText):
        text = segmented_text(query.query_string)
        return PlainText(text, operator=query.operator, boost=query.boost) if text else ""
    if isinstance(query, Phrase):
        text = segmented_text(query.query_string)
        return Phrase(text) if text else ""
    if isinstance(query, And | Or):
        return type(query)([segmented_query(subquery) for subquery in query.subqueries])
    if isinstance(query, Not):
        return Not(segmented_query(query.subquery))
    if isinstance(query, Boost):
        return Boost(segmented_query(query.subquery), query.boost)
    return query


def typed_text(query):
    """The words in a query, whatever shape it has."""
    if isinstance(query, str):
        return query
    if isinstance(query, PlainText | Phrase):
        return query.query_string
    if isinstance(query, And | Or):
        return " ".join(typed_text(subquery) for subquery in query.subqueries)
    if isinstance(query, Not | Boost):
        return typed_text(query.subquery)
    return ""


class SegmentingIndexMixin:
    # Every way into the index (a save, update_index, a rebuild) ends here.
    def add_items(self, model, objs):
        super().add_items(model, [IndexedView(obj) for obj in objs])


class SegmentingQueryMixin:
    def search(self, query, model_or_queryset, *args, **kwargs):
        if CJK.search(typed_text(query)):
            # A search limited to some fields reads their raw columns on PostgreSQL, where
            # Chinese is not segmented; the index entry holds those fields too.
            kwargs.pop("fields", None)
        return super().search(segmented_query(query), model_or_queryset, *args, **kwargs)

    def autocomplete(self, query, model_or_queryset, *args, **kwargs):
        # The admin searches as one types, by word prefixes of titles. Character pairs already
        # match inside words, and a Chinese editor looking for 友邻中心 means the text as well as
        # the title: a query with Chinese in it is a whole search.
        if CJK.search(typed_text(query)):
            return self.search(query, model_or_queryset, *args, **kwargs)
        return super().autocomplete(segmented_query(query), model_or_queryset, *args, **kwargs)


_classes = {}


def segmenting_class(base):
    """The backend class `base` (SQLite's, PostgreSQL's…) with both sides segmented."""
    if base not in _classes:
        index_class = type(
            f"Segmenting{base.index_class.__name__}", (SegmentingIndexMixin, base.index_class), {}
        )
        _classes[base] = type(
            f"Segmenting{base.__name__}", (SegmentingQueryMixin, base), {"index_class": index_class}
        )
    return _classes[base]


def SearchBackend(params):  # the name Wagtail looks for in a backend module
    # modelsearch's factory picks the class for the database in use (FTS5, tsvector…).
    return segmenting_class(type(database_backend(params)))(params)


# How the index is built; raised when what it holds changes, so that setup_site rebuilds it:
# 1, character pairs of every field; 2, entities such as &amp; as the characters they stand for;
# 3, the segmenter's words after the pairs, and field boosts.
INDEX_VERSION = 3


def index_is_current():
    state = SearchIndexState.objects.filter(pk=1).first()
    return state is not None and state.version == INDEX_VERSION


def rebuild_index(stdout=None):
    """Rebuild the whole index the current way, and record that it was."""
    from django.core.management import call_command

    call_command("update_index", stdout=stdout)
    SearchIndexState.objects.update_or_create(pk=1, defaults={"version": INDEX_VERSION})

"""The public search's own table (news/search/entries.py) and its full-text index, each database
its own: PostgreSQL a weighted tsvector column computed from the term columns, with a GIN index;
SQLite an FTS5 table over the same term columns, kept by triggers. Filled by
rebuild_search_index (setup_site runs it)."""

import django.db.models.deletion
from django.db import migrations, models

POSTGRES = [
    """ALTER TABLE news_searchentry ADD COLUMN vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, title_terms), 'A')
        || setweight(to_tsvector('simple'::regconfig, summary_terms), 'B')
        || setweight(to_tsvector('simple'::regconfig, body_terms), 'C')
        || setweight(to_tsvector('simple'::regconfig, meta_terms), 'D')) STORED""",
    "CREATE INDEX news_searchentry_vector ON news_searchentry USING gin (vector)",
]
POSTGRES_UNDO = ["ALTER TABLE news_searchentry DROP COLUMN vector"]

COLUMNS = "title_terms, summary_terms, body_terms, meta_terms"
NEW = "new.title_terms, new.summary_terms, new.body_terms, new.meta_terms"
OLD = "old.title_terms, old.summary_terms, old.body_terms, old.meta_terms"
SQLITE = [
    f"""CREATE VIRTUAL TABLE news_searchfts USING fts5({COLUMNS},
        content='news_searchentry', content_rowid='page_id')""",
    f"""CREATE TRIGGER news_searchentry_ai AFTER INSERT ON news_searchentry BEGIN
        INSERT INTO news_searchfts(rowid, {COLUMNS}) VALUES (new.page_id, {NEW}); END""",
    f"""CREATE TRIGGER news_searchentry_ad AFTER DELETE ON news_searchentry BEGIN
        INSERT INTO news_searchfts(news_searchfts, rowid, {COLUMNS})
        VALUES ('delete', old.page_id, {OLD}); END""",
    f"""CREATE TRIGGER news_searchentry_au AFTER UPDATE ON news_searchentry BEGIN
        INSERT INTO news_searchfts(news_searchfts, rowid, {COLUMNS})
        VALUES ('delete', old.page_id, {OLD});
        INSERT INTO news_searchfts(rowid, {COLUMNS}) VALUES (new.page_id, {NEW}); END""",
]
SQLITE_UNDO = [
    "DROP TRIGGER news_searchentry_au",
    "DROP TRIGGER news_searchentry_ad",
    "DROP TRIGGER news_searchentry_ai",
    "DROP TABLE news_searchfts",
]


def run(statements):
    def apply(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for statement in statements.get(vendor, ()):
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0023_related_reading"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                (
                    "page",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="news.articlepage",
                        verbose_name="文章",
                    ),
                ),
                ("column_path", models.CharField(max_length=255, verbose_name="栏目路径")),
                ("published_at", models.DateTimeField(verbose_name="发布时间")),
                ("title", models.TextField(verbose_name="标题")),
                ("summary", models.TextField(blank=True, verbose_name="摘要")),
                ("body", models.TextField(blank=True, verbose_name="正文")),
                ("source", models.CharField(blank=True, max_length=100, verbose_name="来源")),
                ("author", models.CharField(blank=True, max_length=100, verbose_name="作者")),
                ("tags", models.TextField(blank=True, verbose_name="专题标签")),
                ("title_terms", models.TextField(blank=True)),
                ("summary_terms", models.TextField(blank=True)),
                ("body_terms", models.TextField(blank=True)),
                ("meta_terms", models.TextField(blank=True)),
                (
                    "site",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="wagtailcore.site",
                        verbose_name="站点",
                    ),
                ),
            ],
            options={
                "verbose_name": "搜索条目",
                "verbose_name_plural": "搜索条目",
                "indexes": [
                    models.Index(
                        fields=["site", "-published_at", "-page"], name="search_site_newest"
                    ),
                    models.Index(fields=["-published_at", "-page"], name="search_newest"),
                ],
            },
        ),
        migrations.RunPython(
            run({"postgresql": POSTGRES, "sqlite": SQLITE}),
            run({"postgresql": POSTGRES_UNDO, "sqlite": SQLITE_UNDO}),
        ),
    ]

from django.db import migrations, models

# Every increase of a page's total is added to the daily bucket of the total's last_day, inside
# the database, so that counting a view is a single INSERT … ON CONFLICT statement.
POSTGRESQL_FORWARD = """
CREATE FUNCTION news_pagehits_book_day() RETURNS trigger AS $$
BEGIN
    INSERT INTO news_pagedailyhits (page_id, day, hits)
    VALUES (
        NEW.page_id,
        NEW.last_day,
        CASE WHEN TG_OP = 'INSERT' THEN NEW.hits ELSE NEW.hits - OLD.hits END
    )
    ON CONFLICT (page_id, day)
    DO UPDATE SET hits = news_pagedailyhits.hits + excluded.hits;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER news_pagehits_book_day
AFTER INSERT OR UPDATE OF hits ON news_pagehits
FOR EACH ROW WHEN (NEW.last_day IS NOT NULL)
EXECUTE FUNCTION news_pagehits_book_day();
"""
POSTGRESQL_BACKWARD = """
DROP TRIGGER IF EXISTS news_pagehits_book_day ON news_pagehits;
DROP FUNCTION IF EXISTS news_pagehits_book_day();
"""
SQLITE_FORWARD = [
    """
CREATE TRIGGER news_pagehits_book_day_insert
AFTER INSERT ON news_pagehits WHEN NEW.last_day IS NOT NULL
BEGIN
    INSERT INTO news_pagedailyhits (page_id, day, hits)
    VALUES (NEW.page_id, NEW.last_day, NEW.hits)
    ON CONFLICT (page_id, day) DO UPDATE SET hits = hits + excluded.hits;
END
""",
    """
CREATE TRIGGER news_pagehits_book_day_update
AFTER UPDATE OF hits ON news_pagehits WHEN NEW.last_day IS NOT NULL
BEGIN
    INSERT INTO news_pagedailyhits (page_id, day, hits)
    VALUES (NEW.page_id, NEW.last_day, NEW.hits - OLD.hits)
    ON CONFLICT (page_id, day) DO UPDATE SET hits = hits + excluded.hits;
END
""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS news_pagehits_book_day_insert",
    "DROP TRIGGER IF EXISTS news_pagehits_book_day_update",
]


def run(statements_by_vendor):
    def operation(apps, schema_editor):
        statements = statements_by_vendor[schema_editor.connection.vendor]
        for statement in [statements] if isinstance(statements, str) else statements:
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0005_scheduler_lock"),
    ]

    operations = [
        migrations.AddField(
            model_name="pagehits",
            name="last_day",
            field=models.DateField(blank=True, null=True, verbose_name="最近计数日期"),
        ),
        migrations.RunPython(
            run({"postgresql": POSTGRESQL_FORWARD, "sqlite": SQLITE_FORWARD}),
            run({"postgresql": POSTGRESQL_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
    ]

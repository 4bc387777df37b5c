"""The database's own refusal to change the audit log (security/audit.py): triggers on SQLite and
PostgreSQL that reject every UPDATE of a record, every DELETE of a record younger than
MINIMUM_RETENTION_DAYS, and (PostgreSQL) a TRUNCATE of the table.

Made by security/migrations/0003_audit_log.py. Someone with the database owner's rights can drop
them; what they change then is found by `manage.py verify_audit`, since the records are chained by
a key they do not have.
"""

from security.audit import MINIMUM_RETENTION_DAYS

TABLE = "security_securityevent"
REFUSAL = "审计记录不可修改或删除"

SQLITE_CREATE = [
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_no_update BEFORE UPDATE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_no_delete BEFORE DELETE ON {TABLE}
    WHEN OLD.time > strftime('%Y-%m-%d %H:%M:%f', 'now', '-{MINIMUM_RETENTION_DAYS} days')
    BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END""",
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {TABLE}_no_update",
    f"DROP TRIGGER IF EXISTS {TABLE}_no_delete",
]

POSTGRESQL_CREATE = [
    f"""CREATE OR REPLACE FUNCTION {TABLE}_refuse() RETURNS trigger AS $$
    BEGIN
      IF TG_OP = 'DELETE' THEN
        IF OLD.time < now() - interval '{MINIMUM_RETENTION_DAYS} days' THEN
          RETURN OLD;
        END IF;
      END IF;
      RAISE EXCEPTION '{REFUSAL}';
    END
    $$ LANGUAGE plpgsql""",
    f"""CREATE OR REPLACE TRIGGER {TABLE}_no_change BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION {TABLE}_refuse()""",
    f"""CREATE OR REPLACE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_refuse()""",
]
POSTGRESQL_DROP = [
    f"DROP TRIGGER IF EXISTS {TABLE}_no_change ON {TABLE}",
    f"DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE}",
    f"DROP FUNCTION IF EXISTS {TABLE}_refuse()",
]


def _statements(connection, sqlite, postgresql):
    if connection.vendor == "sqlite":
        return sqlite
    if connection.vendor == "postgresql":
        return postgresql
    return []


def create(connection):
    with connection.cursor() as cursor:
        for statement in _statements(connection, SQLITE_CREATE, POSTGRESQL_CREATE):
            cursor.execute(statement)


def drop(connection):
    with connection.cursor() as cursor:
        for statement in _statements(connection, SQLITE_DROP, POSTGRESQL_DROP):
            cursor.execute(statement)

"""Django's PostgreSQL backend with a health check that costs no round trip (base.py): the
ENGINE sitecms/settings/base.py names for a postgres:// DATABASE_URL. Imports Django only."""

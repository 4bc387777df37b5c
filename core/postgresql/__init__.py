"""Django's PostgreSQL backend with a health check that costs no round trip and statements
prepared on the server (base.py): the ENGINE sitecms/settings/base.py names for a postgres://
DATABASE_URL. Imports Django only."""

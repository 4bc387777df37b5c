"""WSGI entry point for gunicorn, runserver and other WSGI servers."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sitecms.settings.production")

application = get_wsgi_application()

# Serving processes also publish scheduled articles, run imports (news/importing/worker.py) and
# the daily jobs of security, 互动交流 and content quality (security/daily.py,
# interaction/daily_job.py, quality/nightly.py);
# commands and tests never import this module. gunicorn.conf.py loads it before forking its
# workers and starts the threads in each of them.
if not os.environ.get("SCHEDULER_STARTED_BY_SERVER"):
    from interaction.daily_job import start_daily_job as start_interaction_daily_job
    from news.importing.worker import start_import_worker
    from news.scheduler import start_scheduler
    from quality.nightly import start_daily_job as start_quality_daily_job
    from security.daily import start_daily_job

    start_scheduler()
    start_import_worker()
    start_daily_job()
    start_interaction_daily_job()
    start_quality_daily_job()

"""gunicorn settings for the production stack (`make serve`, and any server running sitecms.wsgi).

Every value can be overridden from the environment: PORT / BIND, WEB_CONCURRENCY, GUNICORN_TIMEOUT,
GUNICORN_MAX_REQUESTS (0: never recycle), GUNICORN_ACCESS_LOG.
"""

import multiprocessing
import os

bind = os.environ.get("BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
# Sync workers: two per core plus one, the usual rule for a CPU-bound Django site.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, at different moments, so slow leaks never add up.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
# GUNICORN_ACCESS_LOG="" turns the access log off.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

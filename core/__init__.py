"""What every app of the site uses, and that imports no app of the site: the site generation and
its caches, all-or-nothing publishing, cached view restrictions, rich-text cleaning, the client's
address, the Redis cache, the Content-Security-Policy, error pages, staff accounts at the admin's
door, safe spreadsheet exports and the public site's chrome (navigation, breadcrumbs); and for
gunicorn.conf.py, the plain error pages and a worker that slow clients cannot hold."""

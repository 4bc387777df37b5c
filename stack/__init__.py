"""The production stack on this machine, started for the tests and the benchmarks alike: the
services it needs (and private ones a test may stop), the site prepared once and copied, gunicorn
with the project's settings, Debian's nginx with deploy/nginx.conf, and raw HTTP to talk to them.
Plain Python: nothing here imports Django or the site's apps."""

"""Python run in the project under sitecms.settings.production, for the tests of what the production
settings refuse and send."""


def run_with_production_settings(*arguments, **env):
    """`python <arguments>` in the project under sitecms.settings.production, with `env` added to
    this environment: the secret key, hosts and Redis only as given (a developer's REDIS_URL
    would bring its own deployment warnings), and without the browser tests' async-unsafe
    switch, which no deployment has."""
    import os
    import subprocess
    import sys

    from django.conf import settings

    not_inherited = {"SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL"}
    environment = {key: value for key, value in os.environ.items() if key not in not_inherited}
    environment.update(env, DJANGO_SETTINGS_MODULE="sitecms.settings.production")
    return subprocess.run(
        [sys.executable, *arguments],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )

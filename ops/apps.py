"""The operations app: management commands for those who run the site; no models."""

from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "ops"
    verbose_name = "运维"

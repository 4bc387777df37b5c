"""The yardstick of `make bench`: the site's production settings and middleware, serving one
trivial view instead of the site's pages."""

from sitecms.settings.production import *  # noqa: F403

ROOT_URLCONF = "trivial_urls"

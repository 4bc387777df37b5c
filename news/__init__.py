"""The newsroom: home, column and article pages, their blocks and pictures, feeds, the site tree,
roles, review and scheduling; with rooms for click counting (hits/), search (search/), serving
and the page cache (serving/), importing (importing/), the image and document library
(library/) and template tags (templatetags/). It may import core and contact.

Each room's `__init__.py` ends by saying what the room may import ("news" alone naming the
modules here, news/*.py), and no room imports back a room that imports it (tests/test_layout.py).
news/apps.py, news/signal_handlers.py, news/wagtail_hooks.py and the management commands tie the
rooms together: they may import any room, and none imports them."""

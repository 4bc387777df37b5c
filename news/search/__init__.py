"""Chinese search: the tokenizer (tokens.py, pure), the public search's queries and view, and the
Wagtail search backend that makes the admin find Chinese words too. Imports core, news.models and news.listing."""

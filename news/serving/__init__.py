"""Serving public pages cheaply: routing from cached plain data, and the page cache that keeps
click counts exact. Imports core, news.models, news.hits and news.related."""

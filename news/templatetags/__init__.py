"""The newsroom's template tags: an article's click count and structured data, 附件 with their
kind and size, the most-read lists, 相关阅读, and the admin's controls offered by role. Imports news,
news.hits, news.library and news.related."""

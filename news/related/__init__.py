"""相关阅读: each live original article's key words (its 专题 tags and its TF-IDF words, from
news/search/words.py) with their weights, the per-site counts of articles each word is in, kept
current as articles are published, unpublished, moved and deleted, and the one indexed query that
finds the articles sharing the most of them. Imports core, news.models and news.search."""

"""Click counting (点击数): the tables, the store (database or Redis) and its memory of readers,
what counts as a view, the middleware and beacon that count, the rankings and reports that show
the counts, and the deployment check that Redis keeps buffered views. Imports core, news.models
and news.admin_views."""

"""Click counting (点击数): the tables, the store (database or Redis), what counts as a view, the
middleware and beacon that count, and the rankings and reports that show the counts. Imports
core and news.models."""

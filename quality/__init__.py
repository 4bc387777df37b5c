"""Content quality before and after publishing: the 错敏词 lists and the check every text passes
before readers see it (core/content_gate.py), the nightly re-scan of what is live, the record of
every change to an article's 发布时间, column freshness (栏目更新), broken links (失效链接) and
发稿统计. Imports core, and of news the pages, columns and roles it checks and reports on."""

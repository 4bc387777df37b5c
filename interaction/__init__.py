"""互动交流: the public's channel to the organisation. 留言 / 书记信箱 / 咨询 channels (pages under
the home page), 网站纠错 from every page's footer, and 征集调查; messages go through 受理 → 转办 →
办理 → 审核 → 答复 with deadlines in working days on the Chinese calendar, every step kept in the
message's history, in Wagtail's log and so in the security audit log. Imports core, and of news
what it builds on: the pages and the site tree its pages hang in, the reviewers' role, the
search's reading of a query, the library's checks of uploaded files and the admin's date column."""

"""Articles from files: the seed format's parser, reading text files in any Chinese encoding,
reading Word documents within bounds, the importer, the admin's 导入文章 view with its queue of
jobs and the thread and child processes that run them, and the demo content. It stores into the
pages, the click counts and the libraries. Imports core, contact, news, news.hits and
news.library."""

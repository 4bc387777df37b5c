"""Articles from files: the seed format's parser, reading text files in any Chinese encoding,
reading Word documents within bounds, the importer, the admin's 导入文章 view with its queue of
jobs and the thread and child processes that run them, and the demo content. Imports core,
contact, news.models and the rooms of news it stores into (hits, library, pictures)."""

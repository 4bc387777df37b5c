"""Articles from files: the seed format's parser, reading text files in any Chinese encoding, the
importer, the admin's 导入文章 view, and the demo content. Imports core, contact and news.models."""

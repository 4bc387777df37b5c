"""附件 as readers see them: a file's kind and size beside its name."""

from django import template

from news.library.files import file_kind, file_size

register = template.Library()
register.filter("file_kind", file_kind)
register.filter("file_size", file_size)

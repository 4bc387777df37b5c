"""Admin form for copying an article to a column."""

from django import forms
from wagtail.admin.forms.pages import CopyForm

from news.slugs import new_article_slug


class ArticleCopyForm(CopyForm):
    """Copying an article never asks for a slug: the copy gets a new one, free in the column it is
    copied to."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_slug"].required = False
        self.fields["new_slug"].widget = forms.HiddenInput()
        self.fields["new_slug"].label = ""

    def clean(self):
        parent = self.cleaned_data.get("new_parent_page") or self.page.get_parent()
        self.cleaned_data["new_slug"] = new_article_slug(parent)
        return super().clean()

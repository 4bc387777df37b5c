"""Admin form for copying an article to a column, or publishing it into another (一稿多发)."""

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
        if "alias" in self.fields:
            # Wagtail's alias is how one report is published into several columns.
            self.fields["alias"].label = "一稿多发"
            self.fields["alias"].help_text = (
                "在目标栏目中同时发布这篇文章（不另存一份）：原文修改后自动同步，"
                "读者打开时转到原文，点击数与搜索结果只算一份"
            )

    def clean(self):
        parent = self.cleaned_data.get("new_parent_page") or self.page.get_parent()
        self.cleaned_data["new_slug"] = new_article_slug(parent)
        return super().clean()

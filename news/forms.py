"""Admin form of the article page."""

from wagtail.admin.forms import WagtailAdminPageForm


class ArticlePageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            # Article URLs are built from the column, date and id; a Chinese title gives no slug,
            # so an empty one is generated instead of blocking the editor.
            self.fields["slug"].required = False
            self.fields[
                "slug"
            ].help_text = (
                "可留空,系统会自动生成。文章网址由栏目、日期和编号组成,修改标题不会改变网址。"
            )

"""The base of the site's own admin pages (the staff guide, 导入文章): Wagtail's admin page with
its title in the header."""

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin


class AdminPage(WagtailAdminTemplateMixin):
    def get_breadcrumbs_items(self):
        # The admin's slim header shows the breadcrumbs; without this one it read 首页 alone.
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

"""The channel every site has from the start (留言咨询 under the home page), so that the public
can always ask something (the inspection's veto on a site with no working channel); administrators
add others (书记信箱, 咨询) as pages of the 留言渠道 type."""

from interaction.models import ChannelPage
from news.sitetree import add_published

DEFAULT_CHANNEL = {
    "title": "留言咨询",
    "slug": "liuyan",
    "intro": "<p>欢迎您就党的建设工作提出咨询、意见和建议。我们将在规定时限内答复。</p>",
    "notice": (
        "<ol><li>一信一事，请写明具体事项。</li>"
        "<li>涉及违法违规、辱骂他人、与本单位职责无关或重复的来信不予受理。</li>"
        "<li>一般在10个工作日内答复，答复可凭受理编号和查询码查看。</li></ol>"
    ),
}


def ensure_channel(site):
    home = site.root_page.specific
    if ChannelPage.objects.descendant_of(home).exists():
        return None
    return add_published(home, ChannelPage(show_in_menus=True, **DEFAULT_CHANNEL))

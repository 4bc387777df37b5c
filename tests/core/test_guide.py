"""使用手册 in the admin (core/guide.py): docs/使用手册.md rendered as GitHub renders it, with no
markup of its own; each picture it shows a screenshot in docs/screenshots/, served to staff beside
the guide; each section it links to one of its headings."""

import re
from urllib.parse import unquote

import pytest
from django.urls import reverse

from core.guide import GUIDE, guide_html

pytestmark = pytest.mark.django_db

TEXT = GUIDE.read_text(encoding="utf-8")
PICTURES = re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", TEXT)


def test_every_picture_the_guide_shows_is_a_screenshot_in_the_repository():
    assert len(PICTURES) >= 10
    assert [name for name in PICTURES if not re.fullmatch(r"screenshots/[\w-]+\.png", name)] == []
    assert [name for name in PICTURES if not (GUIDE.parent / name).is_file()] == []


def test_every_section_the_guide_links_to_is_one_of_its_headings():
    html = guide_html(TEXT)
    headings = set(re.findall(r'<h[2-4] id="([^"]+)"', html))
    links = [unquote(target) for target in re.findall(r'href="#([^"]+)"', html)]
    assert links
    assert [target for target in links if target not in headings] == []


def test_the_guide_is_markdown_whose_own_html_is_shown_as_text():
    html = guide_html(
        "## 编辑：写一篇文章\n\n1. 点“文章”\n\n| 块 | 用途 |\n| --- | --- |\n| 段落 | 文字 |\n\n"
        '![议程](screenshots/admin.png)\n\n<script>alert(1)</script><b style="color:red">字</b>\n'
    )
    # GitHub's anchor for the same heading, so links to it work in both places.
    assert '<h2 id="编辑写一篇文章">编辑：写一篇文章</h2>' in html
    assert "<ol>" in html and "<th>块</th>" in html
    assert '<img src="screenshots/admin.png" alt="议程" loading="lazy"' in html
    assert "&lt;script&gt;" in html and "<script" not in html and "<b " not in html


def test_each_screenshot_keeps_its_place_on_the_page_before_it_is_fetched():
    html = guide_html(f"![议程]({PICTURES[0]})")
    assert 'loading="lazy" width="1280" height="900"' in html


def test_the_guide_brings_no_script_or_style_into_the_admin():
    html = guide_html(TEXT)
    assert "<script" not in html and "style=" not in html


def test_staff_read_the_guide_with_its_screenshots_served_beside_it(staff_client):
    guide = reverse("core_guide")
    page = staff_client.get(guide).content.decode()
    assert '<h2 id="联系信息维护修改联系方式">' in page
    assert [name for name in PICTURES if f'src="{name}"' not in page] == []
    # The address the browser makes of a picture's relative name on the guide's page.
    response = staff_client.get(guide + PICTURES[0])
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == (GUIDE.parent / PICTURES[0]).read_bytes()


def test_a_screenshot_is_for_staff_only_and_only_from_its_folder(client, editor_client):
    guide = reverse("core_guide")
    assert client.get(guide + PICTURES[0]).status_code == 302  # to the login page
    assert editor_client.get(guide + "screenshots/no-such-picture.png").status_code == 404
    for outside in ("screenshots/..%2F使用手册.png", "screenshots/../使用手册.md"):
        assert editor_client.get(guide + outside, follow=True).status_code == 404

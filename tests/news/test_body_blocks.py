"""What official documents carry in an article's body: tables (caption, header cells, sideways
scrolling on a phone), a centred title and a right-aligned signature, and video with a poster,
captions and a transcript; each as the admin form sends it and as the page shows it."""

import html
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils.html import strip_tags
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from news.models import ArticlePage
from tests.admin_forms import article_form
from tests.factories import ArticlePageFactory, library_document

TABLE = {
    "caption": "2024年党员发展情况统计表",
    "columns": [
        {"type": "text", "heading": "支部"},
        {"type": "number", "heading": "发展党员(名)"},
        {"type": "rich_text", "heading": "备注"},
    ],
    "rows": [
        {"values": ["第一支部", "12", "<p><b>含</b>预备党员</p>"]},
        {"values": ["第二支部", "8", None]},
    ],
}


def shows_block_error(page, message):
    """Whether the admin page carries `message` among the block errors its script shows (JSON,
    ASCII-escaped, in an attribute)."""
    return json.dumps(message)[1:-1] in html.unescape(page)


def shown(column, body):
    article = ArticlePageFactory(parent=column, body=body)
    response = Client().get(article.url)
    assert response.status_code == 200
    return response.content.decode(), article


def test_a_table_has_its_caption_header_cells_and_scrolls_in_a_focusable_region(column):
    page, article = shown(column, [{"type": "table", "value": TABLE}])
    region = re.search(r'<div class="table-scroll".*?</table>', page, re.S).group(0)
    assert 'role="region" tabindex="0" aria-label="2024年党员发展情况统计表"' in region
    assert "<caption>2024年党员发展情况统计表</caption>" in region
    assert re.findall(r'<th scope="col">(.*?)</th>', region) == ["支部", "发展党员(名)", "备注"]
    rows = re.findall(r"<tr>(.*?)</tr>", region.split("<tbody>")[1], re.S)
    assert "<td>第一支部</td>" in rows[0] and '<td class="number">12</td>' in rows[0]
    assert "<b>含</b>预备党员" in rows[0]
    # An empty cell stays a cell, so the columns stay in line.
    cells = [strip_tags(cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", rows[1], re.S)]
    assert cells == ["第二支部", "8", ""]
    # A table's words are found by search.
    assert "党员发展情况统计表" in article.search_text() and "第二支部" in article.search_text()


def test_a_centred_title_and_a_right_aligned_signature_frame_a_notice(column):
    page, _ = shown(
        column,
        [
            {"type": "document_title", "value": "关于开展主题党日活动的通知"},
            {"type": "paragraph", "value": "<p>各基层党组织:</p>"},
            {"type": "signature", "value": "中共青溪市委组织部\n2024年5月1日"},
        ],
    )
    assert '<p class="document-title">关于开展主题党日活动的通知</p>' in page
    assert '<p class="signature">中共青溪市委组织部<br>2024年5月1日</p>' in page
    css = (Path(settings.BASE_DIR) / "static" / "css" / "site.css").read_text(encoding="utf-8")
    assert ".document-title { text-indent: 0; text-align: center;" in css
    assert ".signature { text-indent: 0; text-align: right; }" in css


def test_a_video_plays_in_the_browsers_own_player_with_captions_and_a_transcript(column, image):
    video = library_document("主题党日活动视频", "video.mp4")
    captions = library_document(
        "主题党日活动字幕", "captions.vtt", b"WEBVTT\n\n00:00.000 --> 00:02.000\n"
    )
    page, article = shown(
        column,
        [
            {
                "type": "video",
                "value": {
                    "video": video.pk,
                    "title": "主题党日活动现场",
                    "poster": image.pk,
                    "captions": captions.pk,
                    "transcript": "主持人:同志们好。\n今天我们开展主题党日活动。",
                },
            }
        ],
    )
    # The transcript beside the figure, not in it: a <figure> ends with its caption.
    figure = re.search(r'<div class="body-video">.*?</details>', page, re.S).group(0)
    assert '<video controls preload="none" playsinline poster="/media/images/' in figure
    assert f'<source src="{video.url}" type="video/mp4">' in figure
    assert (
        f'<track kind="captions" src="{captions.url}" srclang="zh-CN" label="中文字幕" default>'
        in figure
    )
    assert "<summary>视频文字稿</summary>" in figure and "今天我们开展主题党日活动。" in figure
    assert "<script" not in figure  # no third-party player
    assert "今天我们开展主题党日活动" in article.search_text()
    # Captions are sent with the type browsers require of a <track>.
    assert Client().get(captions.url)["Content-Type"] == "text/vtt"


@pytest.mark.parametrize(
    ("video_name", "captions_name", "message"),
    [
        ("report.pdf", None, "视频文件须为 MP4 或 WebM 格式。"),
        ("video.webm", "captions.txt", "字幕文件须为 WebVTT（.vtt）格式。"),
    ],
)
def test_the_video_block_refuses_files_of_the_wrong_kind_in_chinese(
    editor_client, column, video_name, captions_name, message
):
    video = library_document("视频", video_name)
    captions = library_document("字幕", captions_name) if captions_name else None
    url = reverse("wagtailadmin_pages:add", args=("news", "articlepage", column.pk))
    data = {
        **article_form(),
        **nested_form_data(
            {
                "body": streamfield(
                    [
                        (
                            "video",
                            {
                                "video": video.pk,
                                "title": "视频",
                                "poster": "",
                                "captions": captions.pk if captions else "",
                                "transcript": "",
                            },
                        )
                    ]
                )
            }
        ),
    }
    response = editor_client.post(url, data)
    assert response.status_code == 200  # the form again, nothing saved
    assert shows_block_error(response.content.decode(), message)
    assert not ArticlePage.objects.filter(title="后台创建的文章").exists()


def test_an_editor_adds_a_table_title_and_signature_through_the_article_form(editor_client, column):
    url = reverse("wagtailadmin_pages:add", args=("news", "articlepage", column.pk))
    table = {
        "caption": "报名统计",
        "column-count": 2,
        "column-0-type": "text",
        "column-0-heading": "单位",
        "column-0-order": 0,
        "column-0-deleted": "",
        "column-1-type": "number",
        "column-1-heading": "人数",
        "column-1-order": 1,
        "column-1-deleted": "",
        "row-count": 1,
        "row-0-order": 0,
        "row-0-deleted": "",
        "cell-0-0": "第一支部",
        "cell-0-1": "15",
    }
    data = {
        **article_form(),
        **nested_form_data(
            {
                "body": streamfield(
                    [
                        ("document_title", "关于报名的通知"),
                        ("paragraph", rich_text("<p>请按时报名。</p>")),
                        ("table", table),
                        ("signature", "青溪市委组织部\n2024年5月1日"),
                    ]
                )
            }
        ),
    }
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    body = ArticlePage.objects.get(title="后台创建的文章").get_latest_revision_as_object().body
    assert [block.block_type for block in body] == [
        "document_title",
        "paragraph",
        "table",
        "signature",
    ]
    stored = body.raw_data[2]["value"]
    assert stored["caption"] == "报名统计"
    assert [column["heading"] for column in stored["columns"]] == ["单位", "人数"]
    assert stored["rows"] == [{"values": ["第一支部", "15"]}]


def test_a_table_post_missing_its_fields_is_refused_in_chinese_not_a_server_error(
    editor_client, column
):
    url = reverse("wagtailadmin_pages:add", args=("news", "articlepage", column.pk))
    cut_short = {"caption": "报名统计", "column-count": 2, "row-count": "许多"}
    data = {**article_form(), **nested_form_data({"body": streamfield([("table", cut_short)])})}
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert shows_block_error(response.content.decode(), "表格数据不完整，请重新填写。")
    assert not ArticlePage.objects.filter(title="后台创建的文章").exists()

"""网站标识码 and the 党政机关网站标识 badge: site settings staff fill in 设置 → 页脚信息, empty by
default, shown at the foot of every page (the badge at the bottom centre, linked to the
organisation's certificate)."""

import pytest
from django.test import Client

FORM = {
    "copyright": "",
    "icp_number": "",
    "police_number": "",
    "police_record_code": "",
    "site_code": "",
    "conac_badge": "",
    "conac_url": "",
}


def footer_of(url):
    return Client().get(url).content.decode().split('class="site-info"')[1]


def settings_url(site):
    return f"/admin/settings/contact/footersettings/{site.pk}/"


def test_nothing_is_shown_until_the_site_has_them(site):
    footer = footer_of("/")
    assert "网站标识码" not in footer and "conac-badge" not in footer


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("35020001", "网站标识码是10位数字，例如 3502000001。"),
        ("350200000A", "网站标识码是10位数字，例如 3502000001。"),
        ("35020000011", "不超过 10 字符"),
    ],
)
def test_a_site_code_that_is_not_ten_digits_is_refused_in_chinese(
    admin_client, site, code, message
):
    response = admin_client.post(settings_url(site), {**FORM, "site_code": code})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "网站标识码" not in footer_of("/")


def test_a_site_code_typed_in_full_width_digits_is_kept_in_ascii(admin_client, site):
    response = admin_client.post(settings_url(site), {**FORM, "site_code": "３５０２０００００１"})
    assert response.status_code == 302
    assert "网站标识码：3502000001" in footer_of("/")


def test_the_code_and_the_linked_badge_show_on_every_page_once_saved(admin_client, site, image):
    response = admin_client.post(
        settings_url(site),
        {
            **FORM,
            "site_code": "3502000001",
            "conac_badge": image.pk,
            "conac_url": "https://bszs.conac.cn/sitename?method=show&id=0123456789",
        },
    )
    assert response.status_code == 302
    for url in ["/", "/news/", "/contact/", "/sitemap/", "/no-such-page/"]:
        footer = footer_of(url)
        assert "网站标识码：3502000001" in footer, url
        badge = footer.split('class="conac-badge"')[1].split("</p>")[0]
        assert 'href="https://bszs.conac.cn/sitename?method=show&amp;id=0123456789"' in badge
        assert 'alt="党政机关网站标识：查看开办单位认证信息"' in badge
        # The 1200 × 800 upload is sent as a small rendition, drawn at most 110 px wide.
        assert 'width="110" height="73"' in badge
        assert "/images/" in badge and image.file.name.split("/")[-1] not in badge


def test_a_badge_without_a_link_is_shown_unlinked(admin_client, site, image):
    admin_client.post(settings_url(site), {**FORM, "conac_badge": image.pk})
    badge = footer_of("/").split('class="conac-badge"')[1].split("</p>")[0]
    assert "<a " not in badge and 'alt="党政机关网站标识"' in badge


def test_a_badge_whose_file_is_missing_is_left_out_and_every_page_served(admin_client, site, image):
    admin_client.post(settings_url(site), {**FORM, "conac_badge": image.pk})
    image.file.storage.delete(image.file.name)
    answer = Client().get("/")
    assert answer.status_code == 200
    assert "conac-badge" not in answer.content.decode().split('class="site-info"')[1]

"""The contact details: validation, the footer on every page, the contact page and its cache."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from contact.live import live_contact
from contact.models import ContactDetails, ContactEmail, ContactPhone
from contact.validators import tel_uri
from tests.factories import ArticlePageFactory, make_contact


def html_of(url):
    response = Client().get(url)
    return response.status_code, response.content.decode()


@pytest.mark.parametrize("postcode", ["36102", "3610245", "36102a", "", "361 024"])
def test_postcode_must_be_six_digits(site, postcode):
    contact = ContactDetails(site=site, name="单位", address="地址", postcode=postcode)
    with pytest.raises(ValidationError) as error:
        contact.full_clean(exclude=["latest_revision", "live_revision", "locked_by"])
    assert "postcode" in error.value.message_dict


def test_six_digit_postcode_is_accepted(site):
    ContactDetails(site=site, name="单位", address="地址", postcode="361024").full_clean(
        exclude=["latest_revision", "live_revision", "locked_by"]
    )


def test_postcode_error_message_is_chinese(site):
    contact = ContactDetails(site=site, name="单位", address="地址", postcode="12")
    with pytest.raises(ValidationError) as error:
        contact.full_clean(exclude=["latest_revision", "live_revision", "locked_by"])
    assert error.value.message_dict["postcode"] == ["邮政编码必须是6位数字，例如 361024。"]


@pytest.mark.parametrize("address", ["not-an-email", "a@b", "a@@b.cn", "中文@"])
def test_invalid_email_is_rejected(address):
    with pytest.raises(ValidationError):
        ContactEmail(address=address).full_clean(exclude=["contact"])


@pytest.mark.parametrize("number", ["abc", "12", "0592-6276720; DROP", "javascript:alert(1)"])
def test_invalid_phone_is_rejected(number):
    with pytest.raises(ValidationError):
        ContactPhone(number=number).full_clean(exclude=["contact"])


@pytest.mark.parametrize(
    ("number", "uri"),
    [
        ("0592-6276720", "tel:05926276720"),
        ("(0592) 627 6720", "tel:05926276720"),
        ("+86 592 6276720", "tel:+865926276720"),
        ("0592-6276720 转 123", "tel:05926276720;ext=123"),
        ("13400604028", "tel:13400604028"),
    ],
)
def test_phone_numbers_become_tel_links(number, uri):
    ContactPhone(number=number).full_clean(exclude=["contact"])
    assert tel_uri(number) == uri


def test_footer_shows_live_contact_on_every_page_type(site, column):
    make_contact(
        site, phones=("0592-6276720", "0592-5531111"), emails=("a@example.com", "b@example.com")
    )
    article = ArticlePageFactory(parent=column)
    for url in ["/", "/news/", article.url, "/contact/", "/no-such-page/"]:
        status, html = html_of(url)
        assert status in (200, 404), url
        footer = html.split('<footer class="site-footer">')[1]
        assert "测试市测试路1号" in footer, url
        assert '<span itemprop="postalCode">361024</span>' in footer, url
        assert '<a href="tel:05926276720" itemprop="telephone">0592-6276720</a>' in footer, url
        assert '<a href="tel:05925531111" itemprop="telephone">0592-5531111</a>' in footer, url
        assert '<a href="mailto:a@example.com" itemprop="email">a@example.com</a>' in footer, url
        assert '<a href="mailto:b@example.com" itemprop="email">b@example.com</a>' in footer, url
        assert 'itemtype="https://schema.org/PostalAddress"' in footer
        assert 'itemtype="https://schema.org/ContactPoint"' in footer


def test_footer_leaves_contact_out_when_there_is_no_record(site):
    status, html = html_of("/")
    assert status == 200
    assert "contact-block" not in html
    status, html = html_of("/contact/")
    assert "联系方式正在更新" in html


def test_draft_contact_record_is_not_shown(site):
    make_contact(site, live=False)
    assert "contact-block" not in html_of("/")[1]


def test_contact_page_shows_details_and_office_hours(site):
    contact = make_contact(site)
    contact.office_hours = "周一至周五 8:30-17:30"
    contact.save()
    status, html = html_of("/contact/")
    assert status == 200
    main = html.split("<main")[1].split("</main>")[0]
    assert "测试市测试路1号" in main
    assert "周一至周五 8:30-17:30" in main
    assert 'id="page-contact-heading"' in main


def test_live_contact_is_cached(site, django_assert_num_queries):
    from core.generation import read_once

    make_contact(site)
    live_contact(site)
    with read_once():
        with django_assert_num_queries(1):  # the site generation, once in a request
            assert live_contact(site)["postcode"] == "361024"
        with django_assert_num_queries(0):
            assert live_contact(site)["postcode"] == "361024"


def test_publishing_a_new_revision_updates_every_footer_at_once(site):
    contact = make_contact(site)
    assert "0592-6276720" in html_of("/")[1]  # now cached
    contact.phones = [ContactPhone(number="0599-8888888")]
    contact.save_revision().publish()
    html = html_of("/")[1]
    assert "0599-8888888" in html
    assert "0592-6276720" not in html


def test_saving_a_draft_revision_keeps_the_live_footer(site):
    contact = make_contact(site)
    contact.phones = [ContactPhone(number="0599-8888888")]
    contact.save_revision()
    html = html_of("/")[1]
    assert "0592-6276720" in html
    assert "0599-8888888" not in html


def test_unpublishing_removes_the_footer_block(site):
    contact = make_contact(site)
    contact.save_revision().publish()
    assert "contact-block" in html_of("/")[1]
    contact.unpublish()
    assert "contact-block" not in html_of("/")[1]


def test_contact_fields_are_escaped(site):
    contact = make_contact(site)
    contact.address = "<script>alert(1)</script>路"
    contact.save()
    html = html_of("/")[1]
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;路" in html


def test_footer_shows_filing_numbers_and_copyright_from_the_site_setting(site):
    from contact.models import FooterSettings

    html = html_of("/")[1]
    assert "© " in html and "备案" not in html.split("site-info")[1]
    FooterSettings.objects.update_or_create(
        site=site,
        defaults={
            "copyright": "版权所有 测试单位",
            "icp_number": "闽ICP备12345678号-1",
            "police_number": "闽公网安备 35020302000001号",
            "police_record_code": "35020302000001",
        },
    )
    for url in ["/", "/news/", "/contact/", "/no-such-page/"]:
        footer = html_of(url)[1].split('class="site-info"')[1]
        assert "版权所有 测试单位" in footer
        assert (
            '<a href="https://beian.miit.gov.cn/" rel="noopener">闽ICP备12345678号-1</a>' in footer
        )
        assert "code=35020302000001" in footer and "闽公网安备 35020302000001号" in footer


def test_404_page_is_chinese_with_footer(site):
    make_contact(site)
    status, html = html_of("/no-such-page/")
    assert status == 404
    assert "抱歉，您要找的页面不存在" in html
    assert "测试市测试路1号" in html


def test_500_page_renders_without_the_database(site, settings):
    from django.db import connections
    from django.test import RequestFactory

    from core.errors import server_error

    make_contact(site)
    html_of("/")  # the contact card is now cached
    request = RequestFactory().get("/")
    real_cursor = connections["default"].cursor
    connections["default"].cursor = lambda *a, **k: (_ for _ in ()).throw(
        RuntimeError("database down")
    )
    try:
        response = server_error(request)
    finally:
        connections["default"].cursor = real_cursor
    html = response.content.decode()
    assert response.status_code == 500
    assert "抱歉，服务器暂时出错" in html
    assert "测试市测试路1号" in html


def test_the_contact_page_gives_what_the_footer_does_not(site, image):
    contact = make_contact(site)
    contact.office_hours = "周一至周五 8:30–12:00，14:30–17:30"
    contact.directions = (
        "乘坐 12 路公交车到溪山路站下车，向东步行 200 米\n\n自驾：导航至溪山路 88 号"
    )
    contact.map_image = image
    contact.save()
    html = html_of("/contact/")[1]
    main = html.split("<main")[1].split("</main>")[0]
    footer = html.split('<footer class="site-footer">')[1]
    for heading in ("办公时间", "乘车路线", "位置图"):
        assert f">{heading}</h2>" in main
        assert heading not in footer
    assert "周一至周五 8:30–12:00，14:30–17:30" in main
    assert (
        "<li>乘坐 12 路公交车到溪山路站下车，向东步行 200 米</li><li>自驾：导航至溪山路 88 号</li>"
        in main
    )
    assert 'alt="测试单位位置图"' in main
    # No link to a message channel until the staff give its address.
    assert "我要留言" not in main
    contact.message_url = "https://example.cn/hudong/"
    contact.save_revision().publish()
    main = html_of("/contact/")[1].split("<main")[1].split("</main>")[0]
    assert '<a href="https://example.cn/hudong/" rel="noopener">我要留言</a>' in main


def test_a_map_whose_file_is_missing_leaves_the_pages_served(site, image):
    """The contact card is every page's footer: a map picture whose file is gone (a restore
    without the media folder) is left out, and no page fails."""
    contact = make_contact(site)
    contact.map_image = image
    contact.save()
    image.file.storage.delete(image.file.name)
    status, html = html_of("/contact/")
    assert status == 200 and "测试市测试路1号" in html
    assert "位置图" not in html.split("<main")[1].split("</main>")[0]
    assert html_of("/")[0] == 200

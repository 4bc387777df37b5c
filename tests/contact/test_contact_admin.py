"""Contact staff in the admin: rows stay where staff put them, full-width digits are stored as
ASCII, every version in 历史 can be restored, and no second record is offered."""

import json
import re

import pytest
from django.urls import reverse
from wagtail.models import Revision
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from contact.models import ContactDetails, ContactPhone
from news.importing.importer import publish_contact
from news.importing.seedformat import ContactBlock, ParsedArticle
from tests.admin_forms import contact_form

pytestmark = pytest.mark.django_db

EDIT = "wagtailsnippets_contact_contactdetails:edit"


@pytest.fixture
def imported(site):
    """The record as the demo content and the importer make it: two phones, two e-mails."""
    block = ContactBlock(
        address="青溪市云岭区溪山路88号",
        postcode="350900",
        phones=[("办公室", "0599-1234567"), ("传真", "0599-7654321")],
        emails=["office@example.cn", "service@example.cn"],
    )
    article = ParsedArticle(title="", source="", published_at=None, hits=None, contact=block)
    contact = publish_contact(article, site=site, name="党建服务中心")
    return ContactDetails.objects.get(pk=contact.pk)


def form_of(contact, phones, emails, **overrides):
    """The edit form as the browser sends it: every row with its id and place (ORDER)."""
    return nested_form_data(
        {
            "site": contact.site_id,
            "name": contact.name,
            "address": contact.address,
            "postcode": contact.postcode,
            "office_hours": "",
            "phones": inline_formset(phones, initial=len(phones), min=1),
            "emails": inline_formset(emails, initial=len(emails)),
            **overrides,
        }
    )


def rows_of(contact):
    """The phone and e-mail rows of the form as the browser shows them: id, values and place."""
    phones = [
        {"id": p.pk, "label": p.label, "number": p.number, "ORDER": i + 1}
        for i, p in enumerate(contact.phones.all())
    ]
    emails = [
        {"id": e.pk, "label": e.label, "address": e.address, "ORDER": i + 1}
        for i, e in enumerate(contact.emails.all())
    ]
    return phones, emails


def test_imported_rows_have_their_places_in_the_record_and_its_version(imported):
    assert [(p.sort_order, p.label) for p in imported.phones.all()] == [(0, "办公室"), (1, "传真")]
    content = Revision.objects.get(pk=imported.live_revision_id).content
    assert [row["sort_order"] for row in content["phones"]] == [0, 1]
    assert [row["sort_order"] for row in content["emails"]] == [0, 1]


def test_editing_the_first_phone_keeps_it_first(admin_client, imported):
    phones, emails = rows_of(imported)
    phones[0]["number"] = "0599-1111111"
    emails[0]["address"] = "first@example.cn"
    response = admin_client.post(
        reverse(EDIT, args=(imported.pk,)),
        {**form_of(imported, phones, emails), "action-publish": "publish"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    contact = ContactDetails.objects.get()
    assert [p.number for p in contact.phones.all()] == ["0599-1111111", "0599-7654321"]
    assert contact.emails.first().address == "first@example.cn"
    footer = admin_client.get("/").content.decode()
    assert footer.index("0599-1111111") < footer.index("0599-7654321")


def test_full_width_postcode_and_phone_are_stored_half_width(admin_client, site):
    form = contact_form(
        site,
        postcode="３５０９００",
        phones=inline_formset([{"label": "办公室", "number": "（０５９９）１２３４５６７"}], min=1),
    )
    response = admin_client.post(
        reverse("wagtailsnippets_contact_contactdetails:add"), {**form, "action-publish": "publish"}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    contact = ContactDetails.objects.get()
    assert contact.postcode == "350900"
    assert contact.phones.get().number == "(0599)1234567"
    assert 'href="tel:05991234567"' in admin_client.get("/").content.decode()


def test_the_first_version_can_be_restored_from_history(admin_client, imported):
    first = imported.live_revision
    imported.address = "青溪市新址路1号"
    imported.save_revision(log_action=True).publish(log_action=True)
    html = admin_client.get(
        reverse("wagtailsnippets_contact_contactdetails:history", args=(imported.pk,))
    ).content.decode()
    revert = reverse(
        "wagtailsnippets_contact_contactdetails:revisions_revert", args=(imported.pk, first.pk)
    )
    assert revert in html
    assert "恢复此版本" in html
    # The restore screen is the edit form filled with that version; publishing it restores it.
    page = admin_client.get(revert).content.decode()
    assert "青溪市云岭区溪山路88号" in page
    phones, emails = rows_of(imported)
    form = form_of(imported, phones, emails, address="青溪市云岭区溪山路88号")
    response = admin_client.post(revert, {**form, "action-publish": "publish"})
    assert response.status_code == 302
    assert ContactDetails.objects.get().address == "青溪市云岭区溪山路88号"


def test_no_second_record_is_offered_once_the_site_has_one(admin_client, imported):
    listing = admin_client.get(reverse("wagtailsnippets_contact_contactdetails:list"))
    add_url = reverse("wagtailsnippets_contact_contactdetails:add")
    assert add_url not in listing.content.decode()
    assert admin_client.get(add_url).status_code in (302, 403)


def test_a_site_without_a_record_is_offered_one(admin_client, site):
    listing = admin_client.get(reverse("wagtailsnippets_contact_contactdetails:list"))
    assert reverse("wagtailsnippets_contact_contactdetails:add") in listing.content.decode()


def test_a_version_whose_email_was_deleted_since_is_restored_with_it(admin_client, imported):
    first = imported.live_revision
    second_email = imported.emails.all()[1]
    imported.emails.remove(second_email)
    imported.save_revision(log_action=True).publish(log_action=True)
    assert ContactDetails.objects.get().emails.count() == 1

    revert = reverse(
        "wagtailsnippets_contact_contactdetails:revisions_revert", args=(imported.pk, first.pk)
    )
    page = admin_client.get(revert).content.decode()
    # The deleted row comes back as a new row: no stale id the form would refuse.
    [id_input] = re.findall(r'<input[^>]*name="emails-1-id"[^>]*>', page)
    assert f'value="{second_email.pk}"' not in id_input
    phones, _ = rows_of(imported)
    emails = [
        {"id": imported.emails.first().pk, "label": "", "address": "office@example.cn", "ORDER": 1},
        {"id": "", "label": "", "address": "service@example.cn", "ORDER": 2},
    ]
    response = admin_client.post(
        revert, {**form_of(imported, phones, emails), "action-publish": "publish"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    restored = ContactDetails.objects.get()
    assert [e.address for e in restored.emails.all()] == ["office@example.cn", "service@example.cn"]


def test_a_phone_added_in_code_goes_after_the_others(imported):
    imported.phones.add(ContactPhone(label="值班室", number="0592-1234567"))
    imported.save_revision().publish()
    contact = ContactDetails.objects.get()
    assert [p.number for p in contact.phones.all()] == [
        "0599-1234567",
        "0599-7654321",
        "0592-1234567",
    ]
    assert [p.sort_order for p in contact.phones.all()] == [0, 1, 2]


@pytest.mark.parametrize("dash", ["－", "—", "–", "‐", "−"])
def test_a_full_width_hyphen_or_a_dash_in_a_phone_is_stored_as_a_hyphen(staff_client, site, dash):
    phones = [{"label": "办公室", "number": f"０５９９{dash}１２３４５６７"}]
    form = contact_form(site, phones=inline_formset(phones, min=1))
    response = staff_client.post(
        reverse("wagtailsnippets_contact_contactdetails:add"), {**form, "action-publish": "publish"}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert ContactDetails.objects.get().phones.get().number == "0599-1234567"


def test_a_phone_listed_again_however_written_is_refused_by_name(staff_client, site):
    phones = [
        {"label": "办公室", "number": "0599-1234567"},
        {"label": "传真", "number": "0599-7654321"},
        {"label": "值班", "number": "（0599）123 4567"},
    ]
    form = contact_form(site, phones=inline_formset(phones, min=1))
    response = staff_client.post(
        reverse("wagtailsnippets_contact_contactdetails:add"), {**form, "action-publish": "publish"}
    )
    assert response.status_code == 200
    assert "电话号码 （0599）123 4567 已经填写过，同一号码只列一次。" in response.content.decode()
    assert not ContactDetails.objects.exists()


def test_an_email_listed_again_is_refused_by_name(admin_client, imported):
    phones, emails = rows_of(imported)
    emails.append({"id": "", "label": "", "address": "Office@Example.cn", "ORDER": 3})
    response = admin_client.post(
        reverse(EDIT, args=(imported.pk,)),
        {**form_of(imported, phones, emails), "action-publish": "publish"},
    )
    assert response.status_code == 200
    assert "邮箱 Office@Example.cn 已经填写过，同一邮箱只列一次。" in response.content.decode()
    assert ContactDetails.objects.get().emails.count() == 2


def test_contact_staff_may_choose_and_upload_the_location_picture(staff_client, site, image):
    form = staff_client.get(reverse("wagtailsnippets_contact_contactdetails:add")).content.decode()
    assert 'name="map_image"' in form
    chooser = staff_client.get(reverse("wagtailimages_chooser:choose"))
    assert chooser.status_code == 200
    html = json.loads(chooser.content)["html"]
    assert "测试图片" in html
    assert 'id="id_image-chooser-upload-file"' in html
    assert staff_client.get(reverse("wagtailimages:add")).status_code == 200

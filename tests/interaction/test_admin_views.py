"""互动交流 in the admin through its views (interaction/staff_views.py): the 来信 listing with
its filters and Chinese search, who sees which messages, every step taken from a message's page
and logged, the attachment download, the 办理单位 admin; and as an attacker: steps posted by
those who may not take them, on messages of another unit or another site, with unknown or
foreign unit ids, missing fields and fields the forms do not offer — refused, never a 500."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.models import ModelLogEntry

from interaction import workflow
from interaction.models import ChannelPage, HandlingUnit, Kind, Message, Status
from security.audit import SecurityEvent
from tests.admin_forms import user_in
from tests.interaction.conftest import send

pytestmark = [pytest.mark.django_db, pytest.mark.engine_dependent]

INDEX = reverse("interaction_messages:index")
RESULTS = reverse("interaction_messages:index_results")


def detail(message):
    return reverse("interaction_messages:detail", args=(message.pk,))


def numbers(response):
    assert response.status_code == 200
    return {m.number for m in response.context["object_list"]}


def post(client, message, action, **fields):
    return client.post(detail(message), {"action": action, **fields})


def denied(response):
    """Wagtail's admin answers a refusal by going back to the dashboard with a Chinese
    message (or 403)."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    )


def shown(response):
    return [str(m) for m in response.wsgi_request._messages]


@pytest.fixture
def forwarded(sent, receiver, unit):
    message = workflow.forward(sent[0], receiver.user, unit)
    return message


@pytest.fixture
def other_unit(site):
    group = Group.objects.create(name="宣传部办理组")
    return HandlingUnit.objects.create(site=site, name="宣传部", group=group)


# The menu and the listing


def test_the_menu_shows_the_staff_of_interaction_its_listing_and_nobody_else(
    receiver, editor_client, superuser_client
):
    # The sidebar is drawn from the addresses in its props.
    units = reverse("interaction_units:index")
    home = receiver.get(reverse("wagtailadmin_home")).content.decode()
    assert INDEX in home
    assert units not in home  # superusers manage the units
    assert INDEX not in editor_client.get(reverse("wagtailadmin_home")).content.decode()
    assert denied(editor_client.get(INDEX))
    assert units in superuser_client.get(reverse("wagtailadmin_home")).content.decode()


def test_the_listing_shows_each_message_with_its_number_channel_status_unit_and_deadline(
    sent, receiver, channel
):
    message = sent[0]
    response = receiver.get(INDEX)
    page = response.content.decode()
    assert numbers(response) == {message.number}
    for text in ["受理编号", "标题", "渠道", "类别", "状态", "办理单位", "收到", "期限"]:
        assert text in page
    assert message.title in page and channel.title in page and "待受理" in page
    assert detail(message) in page


def test_an_overdue_message_is_red_and_found_by_the_overdue_filter(site, channel, receiver):
    late = send(site, channel, title="早就该答复的来信")[0]
    Message.objects.filter(pk=late.pk).update(due_date=datetime.date(2020, 1, 2))
    on_time = send(site, channel, title="还在期限内的来信")[0]
    page = receiver.get(INDEX).content.decode()
    assert "2020-01-02（已超期）" in page and "w-text-text-error" in page
    assert numbers(receiver.get(INDEX, {"overdue": "yes"})) == {late.number}
    assert numbers(receiver.get(INDEX, {"overdue": "no"})) == {on_time.number}


def test_the_filters_by_status_unit_kind_and_channel(site, channel, receiver, unit, other_unit):
    first = send(site, channel, title="转给组织部的来信")[0]
    second = send(site, channel, title="转给宣传部的来信")[0]
    third = send(site, channel, title="还没受理的来信")[0]
    workflow.forward(first, receiver.user, unit)
    workflow.forward(second, receiver.user, other_unit)
    assert numbers(receiver.get(RESULTS, {"status": "received"})) == {third.number}
    assert numbers(receiver.get(INDEX, {"unit": unit.pk})) == {first.number}
    assert numbers(receiver.get(INDEX, {"kind": "correction"})) == set()
    assert len(numbers(receiver.get(INDEX, {"channel": channel.pk}))) == 3


def test_chinese_search_finds_words_inside_titles_contents_and_replies(site, channel, receiver):
    parking = send(site, channel, title="小区停车难问题", content="晚上没有车位")[0]
    send(site, channel, title="党费缴纳标准", content="退休党员怎么交")[0]
    assert numbers(receiver.get(INDEX, {"q": "停车"})) == {parking.number}
    assert numbers(receiver.get(INDEX, {"q": "车位 小区"})) == {parking.number}
    assert numbers(receiver.get(INDEX, {"q": "车位 党费"})) == set()
    workflow.accept(parking, receiver.user)
    workflow.save_draft(parking, receiver.user, "已协调物业增设夜间车位。")
    assert numbers(receiver.get(INDEX, {"q": "物业"})) == {parking.number}


def test_staff_search_reads_a_query_as_the_public_search_does(site, channel, receiver):
    parking = send(site, channel, title="小区停车难问题", content="晚上没有车位")[0]
    send(site, channel, title="党费缴纳标准", content="退休党员怎么交")[0]
    for query in ["停车？", "小区，车位", "“停车”", "停 车"]:
        assert numbers(receiver.get(INDEX, {"q": query})) == {parking.number}, query


def test_a_search_of_many_long_terms_is_bounded_and_answers(sent, receiver):
    query = " ".join(["社区" * 200] * 300)
    assert receiver.get(INDEX, {"q": query}).status_code == 200
    assert receiver.get(INDEX, {"status": "nonsense", "unit": "x", "p": "99999"}).status_code in (
        200,
        404,
    )


# Who sees what


def test_a_handler_sees_only_what_was_forwarded_to_their_unit(
    site, channel, receiver, handler, outsider_handler, unit, other_unit
):
    ours = workflow.forward(send(site, channel)[0], receiver.user, unit)
    theirs = workflow.forward(send(site, channel)[0], receiver.user, other_unit)
    waiting = send(site, channel)[0]
    assert numbers(handler.get(INDEX)) == {ours.number}
    assert handler.get(detail(ours)).status_code == 200
    assert handler.get(detail(theirs)).status_code == 404
    assert handler.get(detail(waiting)).status_code == 404
    assert numbers(outsider_handler.get(INDEX)) == set()
    assert outsider_handler.get(detail(ours)).status_code == 404


def test_reviewers_see_replies_waiting_for_review_and_every_correction(
    site, channel, forwarded, handler, reviewer_client
):
    waiting = send(site, channel)[0]
    correction, _ = workflow.receive(
        site=site,
        channel=None,
        kind=Kind.CORRECTION,
        fields={"title": "错别字", "content": "第二段“党建”写错", "page_url": "/news/"},
        address="203.0.113.5",
    )
    assert numbers(reviewer_client.get(INDEX)) == {correction.number}
    workflow.submit_reply(forwarded, handler.user, "周末开放。")
    assert numbers(reviewer_client.get(INDEX)) == {correction.number, forwarded.number}
    assert reviewer_client.get(detail(waiting)).status_code == 404
    page = reviewer_client.get(detail(correction)).content.decode()
    assert "打开出错页面" in page and "/news/" in page and "编辑该页面" in page
    assert "受理" in page  # the reviewers receive the 纠错


def test_the_writers_details_are_on_the_message_page_for_staff(sent, receiver):
    page = receiver.get(detail(sent[0])).content.decode()
    assert "张三" in page and "13800000000" in page and "203.0.113.9" in page


# Every step through the views


def test_the_whole_workflow_through_the_message_page(
    sent, receiver, handler, reviewer_client, unit
):
    message = sent[0]
    assert post(receiver, message, "accept").status_code == 302
    response = post(
        receiver, message, "forward", **{"forward-unit": unit.pk, "forward-note": "请办理"}
    )
    assert response.status_code == 302
    response = post(
        handler, message, "save_draft", **{"draft-reply": "周末开放", "draft-reply_unit_name": ""}
    )
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.reply == "周末开放" and message.status == Status.FORWARDED
    post(
        handler,
        message,
        "submit_reply",
        **{"draft-reply": "周末开放。", "draft-reply_unit_name": "组织部办公室"},
    )
    response = post(reviewer_client, message, "send_back", **{"review-comment": "请写明开放时间"})
    assert response.status_code == 302 and response.url == INDEX  # no longer the reviewer's
    message.refresh_from_db()
    assert message.status == Status.FORWARDED
    page = handler.get(detail(message)).content.decode()
    assert "请写明开放时间" in page and "退回答复" in page
    post(
        handler,
        message,
        "submit_reply",
        **{"draft-reply": "周末9:00至17:00开放。", "draft-reply_unit_name": "组织部办公室"},
    )
    response = post(reviewer_client, message, "approve", **{"review-publishable": "on"})
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.status == Status.REPLIED and message.reply_publishable
    assert message.reply_unit_name == "组织部办公室"
    page = receiver.get(detail(message)).content.decode()
    for label in ["受理", "转办", "起草答复", "提交答复审核", "退回答复", "答复审核通过"]:
        assert label in page
    assert "赵受理" in page and "钱办理" in page and "李审核" in page
    logged = set(
        ModelLogEntry.objects.filter(object_id=str(message.pk)).values_list("action", flat=True)
    )
    assert {"interaction.accept", "interaction.forward", "interaction.approve"} <= logged
    assert SecurityEvent.objects.filter(object__contains=message.number).count() >= 8


def test_a_message_is_rejected_with_a_reason_and_other_needs_a_note(sent, receiver):
    message = sent[0]
    response = post(receiver, message, "reject", **{"reject-reason": "other", "reject-note": ""})
    assert response.status_code == 400
    assert "选择“其他”时请写明理由。" in shown(response)
    message.refresh_from_db()
    assert message.status == Status.RECEIVED
    response = post(
        receiver, message, "reject", **{"reject-reason": "duplicate", "reject-note": "与LY1重复"}
    )
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.status == Status.REJECTED and message.reject_reason == "duplicate"
    assert "重复来信" in receiver.get(detail(message)).content.decode()


def test_forwarding_again_is_allowed_and_logged(forwarded, receiver, other_unit):
    post(receiver, forwarded, "forward", **{"forward-unit": other_unit.pk})
    forwarded.refresh_from_db()
    assert forwarded.unit == other_unit
    assert forwarded.steps.filter(action="interaction.forward").count() == 2


def test_forwarding_again_gives_the_draft_the_new_units_signature(
    forwarded, receiver, handler, other_unit
):
    workflow.save_draft(forwarded, handler.user, "初稿")
    forwarded.refresh_from_db()
    assert forwarded.reply_unit_name == "组织部"
    post(receiver, forwarded, "forward", **{"forward-unit": other_unit.pk})
    forwarded.refresh_from_db()
    assert forwarded.reply == "初稿" and forwarded.reply_unit_name == ""
    form = receiver.get(detail(forwarded)).context["forms"]["draft"]
    assert form.initial["reply_unit_name"] == "宣传部"


def test_staff_carry_out_a_writers_deletion_request(sent, receiver):
    message = sent[0]
    assert (
        post(receiver, message, "remove_contact", **{"remove_contact-note": ""}).status_code == 400
    )
    response = post(
        receiver, message, "remove_contact", **{"remove_contact-note": "来信人来电要求删除"}
    )
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.name == "" and message.phone == "" and message.address is None
    page = receiver.get(detail(message)).content.decode()
    assert "13800000000" not in page and "来信人来电要求删除" in page


def test_the_attachment_is_downloaded_as_a_file_by_staff_who_see_the_message(
    sent, receiver, outsider_handler, settings, tmp_path
):
    settings.INTERACTION_FILES_DIR = str(tmp_path)
    message = sent[0]
    message.attachment.save("x.html", ContentFile(b"<script>alert(1)</script>"), save=False)
    Message.objects.filter(pk=message.pk).update(
        attachment=message.attachment.name, attachment_name="材料.html"
    )
    url = reverse("interaction_messages:attachment", args=(message.pk,))
    response = receiver.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/octet-stream"
    assert b"".join(response.streaming_content) == b"<script>alert(1)</script>"
    assert outsider_handler.get(url).status_code == 404


def test_each_download_of_an_attachment_is_in_the_audit_log(sent, receiver, settings, tmp_path):
    settings.INTERACTION_FILES_DIR = str(tmp_path)
    message = sent[0]
    message.attachment.save("x.pdf", ContentFile(b"%PDF-1.4"), save=False)
    Message.objects.filter(pk=message.pk).update(
        attachment=message.attachment.name, attachment_name="材料.pdf"
    )
    url = reverse("interaction_messages:attachment", args=(message.pk,))
    for _ in range(2):
        b"".join(receiver.get(url).streaming_content)
    logged = ModelLogEntry.objects.filter(object_id=str(message.pk), action="interaction.download")
    assert logged.count() == 2 and logged.first().user == receiver.user
    chained = SecurityEvent.objects.filter(event="content_action", object__contains=message.number)
    assert chained.filter(detail__contains="interaction.download").count() == 2


def test_units_are_managed_by_superusers_only(site, superuser_client, receiver):
    group = Group.objects.create(name="纪委办理组")
    url = reverse("interaction_units:add")
    response = superuser_client.post(
        url, {"site": site.pk, "name": "纪委", "group": group.pk, "email": "jw@example.cn"}
    )
    assert response.status_code == 302
    assert HandlingUnit.objects.filter(name="纪委", site=site).exists()
    assert receiver.get(reverse("interaction_units:index")).status_code in (302, 403)


def test_a_unit_that_messages_were_forwarded_to_is_not_deleted_and_says_why(
    superuser_client, forwarded, unit
):
    url = reverse("interaction_units:delete", args=[unit.pk])
    for response in (superuser_client.get(url), superuser_client.post(url)):
        assert response.status_code == 302
        assert response["Location"] == reverse("interaction_units:index")
        assert any("不能删除" in text and forwarded.number in text for text in shown(response))
    assert HandlingUnit.objects.filter(pk=unit.pk).exists()
    # A unit nothing was forwarded to goes as usual.
    spare = HandlingUnit.objects.create(site=unit.site, name="备用", group=unit.group)
    superuser_client.post(reverse("interaction_units:delete", args=[spare.pk]))
    assert not HandlingUnit.objects.filter(pk=spare.pk).exists()


def test_the_group_of_a_unit_is_not_deleted_and_says_why(superuser_client, unit):
    url = reverse("wagtailusers_groups:delete", args=[unit.group.pk])
    response = superuser_client.post(url)
    assert response.status_code == 302
    assert any("办理单位" in text and "组织部" in text for text in shown(response))
    assert Group.objects.filter(pk=unit.group.pk).exists()


def test_a_channel_with_messages_and_the_page_above_it_are_not_deleted(
    superuser_client, sent, channel, site
):
    for page in (channel, site.root_page):
        url = reverse("wagtailadmin_pages:delete", args=[page.pk])
        for response in (superuser_client.get(url), superuser_client.post(url)):
            assert response.status_code == 302, page
            assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[page.pk])
            assert any("已收到来信，不能删除" in text for text in shown(response))
    assert ChannelPage.objects.filter(pk=channel.pk).exists()


# As an attacker


def test_a_handler_cannot_act_on_a_message_of_another_unit(
    site, channel, receiver, handler, other_unit
):
    theirs = workflow.forward(send(site, channel)[0], receiver.user, other_unit)
    response = post(handler, theirs, "submit_reply", **{"draft-reply": "越权答复"})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Status.FORWARDED and theirs.reply == ""


def test_a_handler_cannot_accept_forward_or_approve(forwarded, handler, other_unit):
    assert denied(post(handler, forwarded, "forward", **{"forward-unit": other_unit.pk}))
    assert denied(post(handler, forwarded, "reject", **{"reject-reason": "duplicate"}))
    workflow.submit_reply(forwarded, handler.user, "答复")
    assert denied(post(handler, forwarded, "approve", **{"review-publishable": "on"}))
    forwarded.refresh_from_db()
    assert forwarded.status == Status.IN_REVIEW and forwarded.unit.name == "组织部"


def test_a_receiver_posting_approve_is_refused(forwarded, receiver, handler):
    workflow.submit_reply(forwarded, handler.user, "答复")
    response = post(receiver, forwarded, "approve", **{"review-publishable": "on"})
    assert denied(response)
    forwarded.refresh_from_db()
    assert forwarded.status == Status.IN_REVIEW


def test_a_reviewer_who_submitted_the_reply_is_offered_no_approval_and_refused_one(
    sent, reviewer_client, django_user_model
):
    from interaction.message_roles import RECEIVERS
    from news.roles import REVIEWERS

    # One person in both 留言受理 and 审核: accepts, answers, and would approve alone.
    both = user_in(django_user_model, RECEIVERS, "liangyong")[1]
    both.user.groups.add(Group.objects.get(name=REVIEWERS))
    message = sent[0]
    post(both, message, "accept")
    post(both, message, "submit_reply", **{"draft-reply": "自己写的答复"})
    page = both.get(detail(message)).content.decode()
    assert 'value="send_back"' in page and 'value="approve"' not in page
    assert "答复须由起草人以外的人员审核。" in page
    response = post(both, message, "approve", **{"review-publishable": "on"})
    assert response.status_code == 400 and "答复须由起草人以外的人员审核。" in shown(response)
    message.refresh_from_db()
    assert message.status == Status.IN_REVIEW
    assert 'value="approve"' in reviewer_client.get(detail(message)).content.decode()


def test_bad_posts_come_back_with_a_chinese_message_and_change_nothing(
    site, sent, tied, other_site
):
    receiver = tied
    message = sent[0]
    foreign = HandlingUnit.objects.create(
        site=other_site, name="区委组织部", group=Group.objects.create(name="区办理组")
    )
    for fields in [
        {"action": "forward", "forward-unit": "999999"},
        {"action": "forward", "forward-unit": "abc"},
        {"action": "forward", "forward-unit": str(foreign.pk)},
        {"action": "forward"},
        {"action": "reject", "reject-reason": "nonsense"},
        {"action": "submit_reply", "draft-reply": "答复"},  # not accepted yet
        {"action": "delete_everything"},
        {},
    ]:
        response = receiver.post(detail(message), fields)
        assert response.status_code == 400, fields
        assert shown(response), fields
    message.refresh_from_db()
    assert message.status == Status.RECEIVED and message.unit is None
    assert (
        receiver.post(reverse("interaction_messages:detail", args=(10**12,)), {}).status_code == 404
    )


def test_fields_the_forms_do_not_offer_are_ignored(sent, receiver, unit):
    message = sent[0]
    post(
        receiver,
        message,
        "accept",
        status="replied",
        reply="伪造的答复",
        reply_publishable="on",
        unit=unit.pk,
        site=999,
        number="LY0000",
        due_date="2099-01-01",
    )
    message.refresh_from_db()
    assert message.status == Status.ACCEPTED and message.reply == "" and message.unit is None
    assert not message.reply_publishable and message.number != "LY0000"
    assert message.due_date.year != 2099


def test_a_message_of_another_site_is_out_of_reach(site, tied, other_site):
    receiver = tied
    ours = send(site, ChannelPage.objects.descendant_of(site.root_page).first())[0]
    theirs = send(other_site, ChannelPage.objects.descendant_of(other_site.root_page).first())[0]
    assert numbers(receiver.get(INDEX)) == {ours.number}
    assert receiver.get(detail(theirs)).status_code == 404
    assert post(receiver, theirs, "accept").status_code == 404
    url = reverse("interaction_messages:attachment", args=(theirs.pk,))
    assert receiver.get(url).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Status.RECEIVED


def test_a_channel_with_its_own_receivers_is_theirs_alone(
    site, channel, receiver, django_user_model
):
    own = Group.objects.create(name="书记信箱受理组")
    channel.handlers = own
    channel.save()
    message = send(site, channel)[0]
    assert numbers(receiver.get(INDEX)) == set()
    assert receiver.get(detail(message)).status_code == 404
    # The channel's group with the admin's access alone, no role of 互动交流.
    own.permissions.add(Permission.objects.get(codename="access_admin"))
    member = user_in(django_user_model, own.name, "xinxiang")[1]
    assert numbers(member.get(INDEX)) == {message.number}
    assert post(member, message, "accept").status_code == 302
    message.refresh_from_db()
    assert message.status == Status.ACCEPTED


@pytest.mark.parametrize(
    "address",
    [
        "javascript:alert(1)",
        "//evil.example.com/news/",
        "https://evil.example.com/news/",
        "data:text/html,<script>alert(1)</script>",
        "news/",
    ],
)
def test_a_corrections_address_off_the_site_is_shown_as_text_not_a_link(
    site, reviewer_client, address
):
    correction, _ = workflow.receive(
        site=site,
        channel=None,
        kind=Kind.CORRECTION,
        fields={"title": "页面有错", "content": "见页面", "page_url": address},
        address=None,
    )
    page = reviewer_client.get(detail(correction)).content.decode()
    assert "打开出错页面" not in page
    assert 'href="javascript' not in page and 'evil.example.com/news/"' not in page


def test_a_filter_with_an_id_too_long_for_a_row_finds_nothing_and_fails_not(superuser_client, sent):
    for name in ("channel", "unit"):
        for url in (INDEX, reverse("interaction_messages:index_results")):
            response = superuser_client.get(url, {name: "9" * 23})
            assert response.status_code == 200

"""The admin's words as staff read them: names family name first (张三), the user form asking
姓 before 名, Chinese punctuation in its messages, and no English on the screens the browser
journeys cannot reach cheaply."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_chinese_names_read_family_name_first_and_latin_names_keep_their_order():
    User = get_user_model()
    assert User(first_name="三", last_name="张").get_full_name() == "张三"
    assert User(first_name="审核", last_name="李").get_full_name() == "李审核"
    assert User(first_name="王编辑").get_full_name() == "王编辑"
    assert User(first_name="John", last_name="Smith").get_full_name() == "John Smith"


def test_the_users_list_shows_names_family_name_first(admin_client, django_user_model):
    django_user_model.objects.create_user("editor1", first_name="编辑", last_name="张")
    html = admin_client.get(reverse("wagtailusers_users:index")).content.decode()
    assert "张编辑" in html
    assert "编辑 张" not in html


@pytest.mark.parametrize("view", ["add", "edit"])
def test_the_user_form_asks_the_family_name_first(admin_client, django_user_model, view):
    args = () if view == "add" else (django_user_model.objects.get(username="admin").pk,)
    html = admin_client.get(reverse(f"wagtailusers_users:{view}", args=args)).content.decode()
    assert html.index('name="last_name"') < html.index('name="first_name"')

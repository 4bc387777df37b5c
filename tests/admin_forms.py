"""What the admin's forms are sent, as a browser sends them, and members of the site's roles
signed in to send them."""

from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from news.models import ArticlePage


def article_form(**overrides):
    data = {
        "title": "后台创建的文章",
        "slug": "",
        "published_at": "2024-05-01 10:30:00",
        "source": "青溪党建网",
        "author": "",
        "editor": "王五",
        "summary": "后台摘要。",
        "attachments": inline_formset([]),
        "body": streamfield(
            [
                ("paragraph", rich_text("<p>导语。</p>")),
                (
                    "section",
                    {
                        "label": "议程一",
                        "title": "实地观摩",
                        "body": streamfield(
                            [
                                ("paragraph", rich_text("<p>观摩。</p>")),
                                (
                                    "subsection",
                                    {
                                        "heading": "睦邻服务站",
                                        "body": streamfield(
                                            [("paragraph", rich_text("<p>站点。</p>"))]
                                        ),
                                    },
                                ),
                            ]
                        ),
                    },
                ),
            ]
        ),
    }
    data.update(overrides)
    return nested_form_data(data)


def contact_form(site, **overrides):
    data = {
        "site": site.pk,
        "name": "青溪市社会组织党建服务中心",
        "address": "青溪市云岭区溪山路88号",
        "postcode": "350900",
        "office_hours": "",
        "phones": inline_formset([{"label": "办公室", "number": "0599-1234567"}], min=1),
        "emails": inline_formset([{"label": "", "address": "office@example.cn"}]),
    }
    data.update(overrides)
    return nested_form_data(data)


def user_in(django_user_model, group_name, username, **fields):
    """A new member of the group, and a client signed in as them (its .user)."""
    user = django_user_model.objects.create_user(username, password="pw-for-tests", **fields)
    user.groups.add(Group.objects.get(name=group_name))
    client = Client()
    client.force_login(user)
    client.user = user
    return user, client


def submit_article(editor, column):
    url = reverse("wagtailadmin_pages:add", args=("news", "articlepage", column.pk))
    response = editor.post(url, {**article_form(), "action-submit": "submit"})
    assert response.status_code == 302, response.content.decode()[:500]
    return ArticlePage.objects.get(title="后台创建的文章")

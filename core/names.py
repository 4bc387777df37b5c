"""How a member of staff's name reads: 姓 then 名 with nothing between (张三, 李审核), the way
Chinese names are written; a name in Latin letters keeps its own order (John Smith).

Django's User writes "first_name last_name" ("审核 李"), and Wagtail shows that wherever it
names a user (history, workflow status, the users list, comments). The site keeps Django's User
(a custom user model would mean moving every table that points at it), so its get_full_name is
replaced when the app starts (core/apps.py)."""

import unicodedata


def is_cjk(text):
    return any(unicodedata.name(char, "").startswith("CJK") for char in text)


def full_name(user):
    family, given = user.last_name.strip(), user.first_name.strip()
    if is_cjk(family + given):
        return f"{family}{given}"
    return f"{given} {family}".strip()


def write_names_family_first():
    from django.contrib.auth import get_user_model

    get_user_model().get_full_name = full_name

"""内容安全 in the admin: the 错敏词 lists kept by 内容安全管理 per site, searched, added, changed,
deleted, imported and exported; every change logged; bad files refused whole in Chinese; and as
an attacker: another site's word ids, another site in the form, no role at all."""

import io
import zipfile

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook
from wagtail.models import GroupPagePermission, ModelLogEntry

from core.content_gate import BANNED, STANDARD, TYPO
from quality import checking, word_files
from quality.safety_roles import CONTENT_SAFETY
from quality.word_admin import EXPORTED, IMPORTED
from quality.word_lists import AllowedPhrase, ListedWord
from security.audit import SecurityEvent
from tests.admin_forms import user_in

pytestmark = pytest.mark.django_db

INDEX = reverse("quality_words:index")
ADD = reverse("quality_words:add")
IMPORT = reverse("quality_words:import")


def export_url(file_format, **query):
    url = reverse("quality_words:export", args=(file_format,))
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.fixture
def keeper(site, django_user_model):
    """A member of 内容安全管理, signed in."""
    return user_in(django_user_model, CONTENT_SAFETY, "anquan", first_name="周安全")[1]


@pytest.fixture
def tied_keeper(keeper, site, other_site):
    """With two sites, the keeper is tied to the first by a page permission on its root."""
    tie = Group.objects.create(name="本站人员")
    GroupPagePermission.objects.create(
        group=tie, page=site.root_page, permission=Permission.objects.get(codename="change_page")
    )
    keeper.user.groups.add(tie)
    return keeper


def denied(response):
    return response.status_code in (403, 404) or (
        response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    )


def word_form(site, **fields):
    return {"site": site.pk, "kind": BANNED, "word": "", "right": "", "note": "", **fields}


def upload(name, content):
    return SimpleUploadedFile(name, content)


def import_file(client, site, kind, name, content):
    return client.post(IMPORT, {"site": site.pk, "kind": kind, "file": upload(name, content)})


def xlsx(rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def errors(response):
    assert response.status_code == 200, response.status_code
    return [str(e) for e in response.context["form"].errors["file"]]


# Listing and editing ------------------------------------------------------------------------------


def test_the_keeper_finds_the_lists_in_the_menu_and_searches_them(keeper, site):
    ListedWord.objects.create(site=site, kind=BANNED, word="示例禁用词")
    ListedWord.objects.create(site=site, kind=TYPO, word="既使", right="即使")
    home = keeper.get(reverse("wagtailadmin_home")).content.decode()
    # The sidebar's menu is data for its script, with the addresses as written.
    assert f"{INDEX}?kind={BANNED}" in home and reverse("quality_phrases:index") in home
    response = keeper.get(INDEX, {"kind": TYPO})
    assert [w.word for w in response.context["object_list"]] == ["既使"]
    response = keeper.get(INDEX, {"q": "禁用"})
    assert [w.word for w in response.context["object_list"]] == ["示例禁用词"]


def test_the_keeper_adds_a_word_that_the_next_check_finds(keeper, site):
    response = keeper.post(
        ADD, word_form(site, kind=STANDARD, word="党支部书记记", right="党支部书记")
    )
    assert response.status_code == 302
    word = ListedWord.objects.get()
    assert (word.kind, word.right) == (STANDARD, "党支部书记")
    assert ModelLogEntry.objects.filter(action="wagtail.create", object_id=str(word.pk)).exists()
    assert SecurityEvent.objects.filter(event="content_action").exists()
    assert checking.check_texts(site, [("标题", "title", "党支部书记记讲话")]).findings


def test_a_standard_form_without_its_right_form_is_refused(keeper, site):
    response = keeper.post(ADD, word_form(site, kind=STANDARD, word="党支部书记记"))
    assert response.status_code == 200
    assert "规范表述须填写正确形式" in response.content.decode()
    assert not ListedWord.objects.exists()


def test_a_word_already_listed_is_refused_in_chinese(keeper, site):
    ListedWord.objects.create(site=site, kind=BANNED, word="ABC")
    response = keeper.post(ADD, word_form(site, word="ＡＢＣ"))
    assert response.status_code == 200
    assert "“ABC”已在禁用词词表中" in response.content.decode()
    assert ListedWord.objects.count() == 1


def test_the_keeper_changes_and_deletes_a_word(keeper, site):
    word = ListedWord.objects.create(site=site, kind=BANNED, word="示例禁用词")
    edit = reverse("quality_words:edit", args=(word.pk,))
    response = keeper.post(edit, word_form(site, word="示例禁用词二"))
    assert response.status_code == 302
    word.refresh_from_db()
    assert word.word == "示例禁用词二"
    response = keeper.post(reverse("quality_words:delete", args=(word.pk,)))
    assert response.status_code == 302 and not ListedWord.objects.exists()
    assert ModelLogEntry.objects.filter(action="wagtail.delete").exists()


def test_the_keeper_keeps_the_allow_list(keeper, site):
    ListedWord.objects.create(site=site, kind=BANNED, word="禁山")
    response = keeper.post(
        reverse("quality_phrases:add"),
        {"site": site.pk, "kind": BANNED, "phrase": "禁山镇", "note": "地名"},
    )
    assert response.status_code == 302
    assert AllowedPhrase.objects.get().phrase == "禁山镇"
    assert checking.check_texts(site, [("正文", "body", "禁山镇")]).findings == []


def test_a_keeper_sees_only_the_lists_of_their_sites(tied_keeper, site, other_site):
    ListedWord.objects.create(site=site, kind=BANNED, word="本站的词")
    ListedWord.objects.create(site=other_site, kind=BANNED, word="别站的词")
    response = tied_keeper.get(INDEX)
    assert [w.word for w in response.context["object_list"]] == ["本站的词"]
    assert "别站的词" not in response.content.decode()
    assert "district.example.cn" not in tied_keeper.get(ADD).content.decode()


def test_another_sites_word_cannot_be_read_changed_or_deleted_by_its_id(tied_keeper, other_site):
    word = ListedWord.objects.create(site=other_site, kind=BANNED, word="别站的词")
    for name in ("edit", "delete", "history", "usage"):
        assert denied(tied_keeper.get(reverse(f"quality_words:{name}", args=(word.pk,)))), name
    response = tied_keeper.post(
        reverse("quality_words:edit", args=(word.pk,)), word_form(other_site, word="改掉")
    )
    assert denied(response)
    assert denied(tied_keeper.post(reverse("quality_words:delete", args=(word.pk,))))
    word.refresh_from_db()
    assert word.word == "别站的词"


def test_a_word_cannot_be_added_to_another_site(tied_keeper, other_site):
    response = tied_keeper.post(ADD, word_form(other_site, word="偷加的词"))
    assert response.status_code == 200 and not ListedWord.objects.exists()
    response = import_file(tied_keeper, other_site, BANNED, "a.txt", "偷加的词\n".encode())
    assert response.status_code == 200 and not ListedWord.objects.exists()


def test_nobody_else_reaches_the_lists(editor_client, site):
    word = ListedWord.objects.create(site=site, kind=BANNED, word="示例禁用词")
    for url in (
        INDEX,
        ADD,
        IMPORT,
        export_url("txt"),
        reverse("quality_words:edit", args=(word.pk,)),
    ):
        assert denied(editor_client.get(url)), url
    assert INDEX not in editor_client.get(reverse("wagtailadmin_home")).content.decode()


def test_readers_never_get_the_lists(reader, site, client):
    ListedWord.objects.create(site=site, kind=BANNED, word="示例禁用词")
    for url in ("/", export_url("txt"), export_url("xlsx"), INDEX):
        response = reader.get(url)
        assert "示例禁用词".encode() not in response.content


# Import ------------------------------------------------------------------------------------------


def test_a_text_file_is_imported_with_right_forms_after_a_tab_or_an_equals_sign(keeper, site):
    ListedWord.objects.create(
        site=site, kind=STANDARD, word="已有错词", right="已有对词", note="留着"
    )
    content = (
        "# 供应商词表\n党支部书记记=党支部书记\n\n中共中央办公厅厅\t中共中央办公厅\n已有错词=别的\n"
    )
    response = import_file(keeper, site, STANDARD, "词表.txt", content.encode("gb18030"))
    assert response.status_code == 302
    words = dict(ListedWord.objects.values_list("word", "right"))
    assert words == {
        "党支部书记记": "党支部书记",
        "中共中央办公厅厅": "中共中央办公厅",
        "已有错词": "已有对词",
    }
    messages = [str(m) for m in keeper.get(response["Location"]).context["messages"]]
    assert "已导入规范表述 2 个，1 个已在词表中，保持不变。" in messages
    entry = ModelLogEntry.objects.get(action=IMPORTED)
    assert entry.data["added"] == 2 and entry.user == keeper.user
    assert checking.check_texts(site, [("标题", "title", "中共中央办公厅厅")]).findings


def test_an_excel_file_is_imported_with_its_headings_and_traditional_flag(keeper, site):
    content = xlsx([["说明", "词语", "繁体"], ["测试", "示例禁用词", "是"], ["", "另一个词", ""]])
    response = import_file(keeper, site, BANNED, "list.xlsx", content)
    assert response.status_code == 302
    assert set(ListedWord.objects.values_list("word", "note", "traditional")) == {
        ("示例禁用词", "测试", True),
        ("另一个词", "", False),
    }


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("list.pdf", b"%PDF-1.4", "只能导入 .txt 或 .xlsx 文件"),
        ("list.txt", b"", "空文件"),
        ("list.txt", b"\n# only a comment\n\n", "文件中没有词语"),
        ("list.txt", b"\x00\x01binary", "这不是文本文件"),
        ("list.xlsx", b"PK\x03\x04 not really a zip", "无法读取这个 Excel 文件"),
        ("list.xlsx", "示例禁用词".encode(), "无法读取这个 Excel 文件"),
        ("list.txt", "词一\n词二\n词一\n".encode(), "第 3 行：“词一”与第 1 行重复"),
        ("list.txt", ("长" * 101 + "\n").encode(), "超过 100 个字"),
    ],
)
def test_a_bad_file_is_refused_whole_and_changes_nothing(keeper, site, name, content, message):
    ListedWord.objects.create(site=site, kind=BANNED, word="原有的词")
    response = import_file(keeper, site, BANNED, name, content)
    assert any(message in error for error in errors(response)), errors(response)
    assert list(ListedWord.objects.values_list("word", flat=True)) == ["原有的词"]


def test_a_standard_form_file_without_right_forms_names_each_line(keeper, site):
    response = import_file(keeper, site, STANDARD, "a.txt", "好的=对的\n缺右边\n又缺\n".encode())
    assert errors(response) == [
        "第 2 行：规范表述“缺右边”缺少正确形式。",
        "第 3 行：规范表述“又缺”缺少正确形式。",
    ]
    assert not ListedWord.objects.exists()


def test_a_zip_that_is_no_workbook_is_refused(keeper, site):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("hello.txt", "hi")
    assert (
        "这不是 Excel 工作簿"
        in errors(import_file(keeper, site, BANNED, "a.xlsx", out.getvalue()))[0]
    )


def test_a_workbook_that_unpacks_to_too_much_is_refused(keeper, site):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("xl/workbook.xml", "<workbook/>")
        package.writestr("xl/worksheets/sheet1.xml", b"0" * (word_files.MAX_UNPACKED_BYTES + 1))
    assert len(out.getvalue()) < word_files.MAX_BYTES
    assert "解压后过大" in errors(import_file(keeper, site, BANNED, "a.xlsx", out.getvalue()))[0]


def test_a_workbook_with_xml_entities_is_refused(keeper, site):
    content = xlsx([["词语"], ["示例"]])
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "xl/workbook.xml":
                data = b'<!DOCTYPE x [<!ENTITY a "aaaa">]>' + data.split(b"?>", 1)[-1]
            package.writestr(member, data)
    assert "无法读取" in errors(import_file(keeper, site, BANNED, "a.xlsx", out.getvalue()))[0]
    assert not ListedWord.objects.exists()


def test_a_file_too_big_is_refused(keeper, site, monkeypatch):
    monkeypatch.setattr(word_files, "MAX_BYTES", 10)
    assert (
        "文件超过"
        in errors(import_file(keeper, site, BANNED, "a.txt", "一二三四五六七八".encode()))[0]
    )


# Export ------------------------------------------------------------------------------------------


def test_the_export_cannot_run_formulas_and_imports_back_as_it_was(keeper, site):
    ListedWord.objects.create(
        site=site, kind=STANDARD, word="=HYPERLINK(1)", right="+对", note="@说明", traditional=True
    )
    ListedWord.objects.create(site=site, kind=STANDARD, word="党支部书记记", right="党支部书记")
    response = keeper.get(export_url("xlsx", kind=STANDARD))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("词语", "正确形式", "说明", "繁体")
    assert rows[1] == ("'=HYPERLINK(1)", "'+对", "'@说明", "是")
    assert ModelLogEntry.objects.get(action=EXPORTED).data["count"] == 2
    ListedWord.objects.all().delete()
    assert import_file(keeper, site, STANDARD, "back.xlsx", response.content).status_code == 302
    assert set(ListedWord.objects.values_list("word", "right", "note", "traditional")) == {
        ("=HYPERLINK(1)", "+对", "@说明", True),
        ("党支部书记记", "党支部书记", "", False),
    }


def test_a_word_with_control_characters_is_kept_without_them_and_exports(keeper, site):
    keeper.post(ADD, word_form(site, word="示例\x01禁用\x1b词", note="说\x07明"))
    assert ListedWord.objects.get().word == "示例禁用词"
    # A row stored before, with the characters still in it, exports all the same.
    ListedWord.objects.create(site=site, kind=BANNED, word="旧\x02词", note="旧\x0b说明")
    response = keeper.get(export_url("xlsx", kind=BANNED))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        "旧词",
        "示例禁用词",
    ]


def test_the_text_export_has_one_word_a_line(keeper, site):
    ListedWord.objects.create(site=site, kind=TYPO, word="既使", right="即使")
    ListedWord.objects.create(site=site, kind=TYPO, word="按步就班")
    ListedWord.objects.create(site=site, kind=BANNED, word="不导出")
    response = keeper.get(export_url("txt", kind=TYPO))
    assert response.content.decode("utf-8-sig") == "按步就班\n既使\t即使\n"
    assert "attachment" in response["Content-Disposition"]


def test_with_several_sites_an_export_needs_a_site_the_keeper_keeps(tied_keeper, site, other_site):
    ListedWord.objects.create(site=other_site, kind=BANNED, word="别站的词")
    assert tied_keeper.get(export_url("txt", site=other_site.pk)).status_code == 404
    response = tied_keeper.get(export_url("txt", site=site.pk, kind=BANNED))
    assert "别站的词".encode() not in response.content
    assert tied_keeper.get(export_url("txt", site="9" * 30)).status_code == 404
    assert tied_keeper.get(export_url("csv")).status_code == 404


def test_every_page_of_the_lists_opens_for_the_keeper(keeper, site):
    word = ListedWord.objects.create(site=site, kind=BANNED, word="示例禁用词")
    phrase = AllowedPhrase.objects.create(site=site, kind=BANNED, phrase="示例禁用词典")
    urls = [
        INDEX,
        f"{INDEX}?kind={STANDARD}&site={site.pk}",
        f"{ADD}?kind={STANDARD}",
        IMPORT,
        reverse("quality_words:edit", args=(word.pk,)),
        reverse("quality_words:history", args=(word.pk,)),
        reverse("quality_words:delete", args=(word.pk,)),
        reverse("quality_phrases:index"),
        reverse("quality_phrases:add"),
        reverse("quality_phrases:edit", args=(phrase.pk,)),
    ]
    for url in urls:
        assert keeper.get(url).status_code == 200, url
    assert 'value="standard" selected' in keeper.get(f"{ADD}?kind={STANDARD}").content.decode()


def field_errors(response, name):
    assert response.status_code == 200, response.status_code
    return [str(error) for error in response.context["form"].errors[name]]


def test_a_duplicate_or_a_blank_word_or_phrase_gets_one_clear_message(keeper, site):
    ListedWord.objects.create(site=site, kind=BANNED, word="测试禁词甲")
    AllowedPhrase.objects.create(site=site, kind=BANNED, phrase="测试禁词甲乙")
    assert field_errors(keeper.post(ADD, word_form(site, word="测试禁词甲")), "word") == [
        "“测试禁词甲”已在禁用词词表中。"
    ]
    assert field_errors(keeper.post(ADD, word_form(site)), "word") == ["请填写词语。"]
    phrases = reverse("quality_phrases:add")
    phrase = {"site": site.pk, "kind": BANNED, "phrase": "测试禁词甲乙", "note": ""}
    assert field_errors(keeper.post(phrases, phrase), "phrase") == [
        "“测试禁词甲乙”已是禁用词的允许短语。"
    ]
    blank = keeper.post(phrases, {**phrase, "phrase": ""})
    assert field_errors(blank, "phrase") == ["请填写短语。"]


def test_only_one_list_at_a_time_is_exported_so_it_imports_back(keeper, site):
    ListedWord.objects.create(site=site, kind=BANNED, word="示例禁用词")
    ListedWord.objects.create(site=site, kind=TYPO, word="既使", right="即使")
    response = keeper.get(export_url("xlsx"), follow=True)
    assert "请先在列表中选择一个词表" in " ".join(str(m) for m in response.context["messages"])
    assert not ModelLogEntry.objects.filter(action=EXPORTED).exists()
    assert export_url("xlsx") not in keeper.get(INDEX).content.decode()
    listing = keeper.get(INDEX, {"kind": TYPO}).content.decode()
    assert reverse("quality_words:export", args=("xlsx",)) + f"?kind={TYPO}" in listing


def test_a_formula_in_an_excel_file_is_named_as_one(keeper, site):
    content = xlsx([["词语", "说明"], ["示例禁用词", ""], ["=示例公式()", ""]])
    [message] = errors(import_file(keeper, site, BANNED, "words.xlsx", content))
    assert message.startswith("第 3 行是公式")
    assert not ListedWord.objects.exists()

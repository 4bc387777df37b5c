"""Every relative link in the README and docs/ leads somewhere: to a file or folder of the
repository and, where it names a heading of a Markdown file, to a heading that is there, as GitHub
names headings. The repository paths these documents name in their prose are checked by
tests/test_layout.py."""

import re
import unicodedata
from pathlib import Path
from urllib.parse import unquote

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

# The documents use a small part of Markdown: fenced code, code spans, headings, inline links and
# pictures, and perhaps a reference definition. Read with these rather than with a Markdown
# library, which the project would carry for this test alone.
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)")
HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
# [words](target) and ![words](target), the target perhaps in <…> and followed by a "title".
INLINE_LINK = re.compile(
    r"!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]"  # the words, perhaps holding [brackets]
    r"\(\s*(<[^>]*>|[^\s()]*)(?:\s+\"[^\"]*\")?\s*\)"  # (target "title")
)
REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)")
# A scheme (http:, https:, mailto:, tel: …) makes a link leave the repository.
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def outside_code_blocks(path):
    """(line number, line) of every line outside fenced code."""
    fence = None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        opening = FENCE.match(line)
        if fence is None and opening:
            fence = opening.group(1)[0]
        elif fence is not None:
            if opening and opening.group(1)[0] == fence:
                fence = None
        else:
            yield number, line


def links(path):
    """(line number, target) of every link and picture, none inside code."""
    for number, line in outside_code_blocks(path):
        line = CODE_SPAN.sub("", line)
        for target in INLINE_LINK.findall(line) + REFERENCE.findall(line):
            yield number, target.strip("<>")


def github_slug(heading):
    """The anchor GitHub gives a heading: its words lowercased, each space a hyphen, and every
    character that is not a letter, a digit, a mark, a hyphen or an underscore dropped (so Chinese
    stays, and `code` loses its backticks)."""
    words = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading).strip().lower()
    kept = "".join(
        char for char in words if char in " -_" or unicodedata.category(char)[0] in "LNM"
    )
    return kept.replace(" ", "-")


def anchors(path):
    """Every heading's anchor in a Markdown file; a repeated one gets -1, -2 … as on GitHub."""
    seen, found = {}, set()
    for _, line in outside_code_blocks(path):
        if heading := HEADING.match(line):
            slug = github_slug(heading.group(1))
            found.add(f"{slug}-{seen[slug]}" if slug in seen else slug)
            seen[slug] = seen.get(slug, 0) + 1
    return found


def broken_link(document, target):
    """Why a link leads nowhere, or None when it leads somewhere."""
    address, _, anchor = target.partition("#")
    address, anchor = unquote(address), unquote(anchor)
    destination = (document.parent / address).resolve() if address else document
    if not destination.exists():
        return "no such file"
    if ROOT not in destination.parents and destination != ROOT:
        return "outside the repository"
    if anchor and destination.suffix == ".md" and anchor not in anchors(destination):
        return f"no heading #{anchor} in {destination.relative_to(ROOT)}"
    return None


def test_the_documents_are_there():
    names = {path.relative_to(ROOT).as_posix() for path in DOCUMENTS}
    assert {
        "README.md",
        "docs/architecture.md",
        "docs/operations.md",
        "docs/testing.md",
        "docs/benchmarks.md",
    } <= names


def test_every_relative_link_leads_to_a_file_and_heading_that_exist():
    broken = []
    for document in DOCUMENTS:
        for number, target in links(document):
            if not target or SCHEME.match(target):
                continue
            reason = broken_link(document, target)
            if reason:
                broken.append(f"{document.relative_to(ROOT)}:{number}: ({target}) {reason}")
    assert broken == []


@pytest.mark.parametrize(
    ("heading", "anchor"),
    [
        ("Backups and restore", "backups-and-restore"),
        ("What `make bench` measures", "what-make-bench-measures"),
        ("Click counts (点击数)", "click-counts-点击数"),
        ("导入文章 in the background", "导入文章-in-the-background"),
        ("Settings & headers", "settings--headers"),
        ("The admin's doors", "the-admins-doors"),
        ("一、写一篇文章", "一写一篇文章"),
        ("See [the guide](manual/guide.md)", "see-the-guide"),
    ],
)
def test_headings_are_named_as_github_names_them(heading, anchor):
    assert github_slug(heading) == anchor


def test_a_link_to_a_missing_file_or_heading_is_found(tmp_path, monkeypatch):
    # A repository of its own, whose folders tests/test_layout.py does not take for this one's.
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    (tmp_path / "manual").mkdir()
    guide = tmp_path / "manual" / "guide.md"
    guide.write_text("# Guide\n\n## 上传图片\n\n```\n## not a heading\n```\n", encoding="utf-8")
    readme = tmp_path / "README.md"
    readme.write_text(
        "See [the guide](manual/guide.md#上传图片), [it](manual/guide.md#not-a-heading),\n"
        "[gone](manual/gone.md), ![a picture](pictures/none.png) and `[code](nowhere.md)`.\n"
        "```\n[fenced](nowhere.md)\n```\n",
        encoding="utf-8",
    )
    found = {target: broken_link(readme, target) for _, target in links(readme)}
    assert found == {
        "manual/guide.md#上传图片": None,
        "manual/guide.md#not-a-heading": "no heading #not-a-heading in manual/guide.md",
        "manual/gone.md": "no such file",
        "pictures/none.png": "no such file",
    }

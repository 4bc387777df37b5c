"""The 错敏词 check (core/content_gate.py names it by CONTENT_CHECKER): every text a reader sees of
an object (quality/page_texts.py) is matched against its site's lists (quality/word_lists.py).

Matching is Aho–Corasick (pyahocorasick) over the text after NFKC, so full-width letters and digits
match their half-width forms; words marked 同时匹配繁体 are matched a second time over the text
converted from traditional to simplified characters (OpenCC t2s). A match inside an occurrence of
an allow-listed phrase of its list is no finding; of the others, overlapping matches give one
finding: the stricter list's, then the longest (so a warning word never hides a banned one). The matcher of a site is built once per version of its lists and kept in
process memory: each check reads the version (one indexed query), so a list changed in one process
is used by every process at its next check.
"""

import re
import threading
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, replace
from functools import cache

import ahocorasick
import opencc

from core.content_gate import BANNED, STANDARD, TYPO, Finding, Verdict
from quality import page_texts
from quality.overrides import let_through
from quality.page_texts import site_id_of
from quality.word_lists import (
    INVISIBLE,
    AllowedPhrase,
    ListedWord,
    StandardOverride,
    list_version,
    normal_form,
    override_key,
)

# Characters shown on each side of a finding.
CONTEXT = 15
# Which kind a word listed twice counts as: the stricter.
SEVERITY = {BANNED: 0, STANDARD: 1, TYPO: 2}


@dataclass(frozen=True)
class Entry:
    kind: str
    word: str
    right: str


@cache
def _t2s():
    return opencc.OpenCC("t2s")


def simplified(text):
    return _t2s().convert(text)


# Characters that NFKC joins to the one before them (combining accents, kana voicing marks,
# Hangul vowel and final jamo): a text holding them is folded a character and its marks at a time.
JOINS = re.compile(
    "[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u3099\u309a\u1160-\u11ff]"
)
CLUSTER = re.compile(f"(?s).{JOINS.pattern}*")


class Normalised:
    """A text as it is matched (NFKC, without the characters a reader does not see), with the
    position in the original of each of its characters, so that a finding quotes the text as the
    editor wrote it."""

    def __init__(self, text):
        folded = unicodedata.normalize("NFKC", text)
        if len(folded) == len(text) and not INVISIBLE.search(folded) and not JOINS.search(text):
            self.text, self.origin = folded, None
        else:
            # A character became several (① is 1, ㈠ is (一)), none, or one with the marks after
            # it (e and ◌́ are é): fold each character with its marks to keep the map.
            parts, origin, ends = [], [], []
            for match in CLUSTER.finditer(text):
                one = INVISIBLE.sub("", unicodedata.normalize("NFKC", match.group()))
                if not one:
                    continue
                parts.append(one)
                start, last = match.start(), match.end() - 1
                places = [min(start + offset, last) for offset in range(len(one))]
                origin.extend(places)
                # A character's marks are quoted with it.
                ends.extend([*(place + 1 for place in places[:-1]), match.end()])
            self.text, self.origin, self.ends = "".join(parts), origin, ends
        self._simplified = None

    @property
    def simplified(self):
        """The text in simplified characters, aligned with .text (t2s converts a character to
        one character; where a phrase conversion changed the length, each character alone)."""
        if self._simplified is None:
            converted = simplified(self.text)
            if len(converted) != len(self.text):
                converted = "".join(
                    one if len(one := simplified(character)) == 1 else character
                    for character in self.text
                )
            self._simplified = converted
        return self._simplified

    def span(self, start, end):
        """The original text's (start, end) of the normalised text's characters start..end-1."""
        if self.origin is None:
            return start, end
        return self.origin[start], self.ends[end - 1]


class Symbols(dict):
    """Each character written as two: its high and its low byte, from two ranges that do not
    overlap. pyahocorasick looks up a node's next letter by going through the node's letters one
    by one, and the root of 20,000 Chinese words has thousands of first letters; written so,
    no node has more than 256, which makes matching several times faster (bench/word_check.py).
    A key begins with a high-byte symbol, so it only ever matches at a character's start."""

    def __missing__(self, code):
        symbols = self[code] = chr(0x200 + (code >> 8)) + chr(0x100 + (code & 0xFF))
        return symbols


SYMBOLS = Symbols()


def encoded(text):
    return text.translate(SYMBOLS)


def automaton(entries):
    if not entries:
        return None
    built = ahocorasick.Automaton()
    for key, value in entries.items():
        built.add_word(encoded(key), value)
    built.make_automaton()
    return built


class Matcher:
    """A site's lists, built for matching."""

    def __init__(self, words, phrases):
        plain, traditional, allowed = {}, {}, {}
        for word in words:
            key = normal_form(word.word)
            if not key:
                continue
            entry = Entry(word.kind, word.word, word.right)
            keep(plain, key, entry)
            if word.traditional:
                keep(traditional, simplified(key), entry)
        for phrase in phrases:
            key = normal_form(phrase.phrase)
            if key:
                allowed.setdefault(key, set()).add(phrase.kind)
                allowed.setdefault(simplified(key), set()).add(phrase.kind)
        self.plain = automaton(plain)
        self.traditional = automaton(traditional)
        self.allowed = automaton(
            {key: (len(key), frozenset(kinds)) for key, kinds in allowed.items()}
        )
        self.size = len(plain)

    def matches(self, normalised):
        """(start, end, entry) in the normalised text, in order: none inside an allowed phrase of
        its list, not overlapping; of overlapping matches the stricter wins, then the longest, so
        that no listed word written against a banned one hides it."""
        texts = [encoded(normalised.text)]
        found = every_match(self.plain, texts[0])
        if self.traditional is not None:
            texts.append(encoded(normalised.simplified))
            found += every_match(self.traditional, texts[1])
        if not found:
            return []
        if self.allowed is not None:
            allowed = [
                (after - length, after, kinds)
                for text in texts
                for after, (length, kinds) in (
                    (last // 2 + 1, value) for last, value in self.allowed.iter(text)
                )
            ]
            found = outside_allowed(found, allowed)
        found.sort(key=lambda match: (SEVERITY[match[2].kind], match[0] - match[1], match[0]))
        chosen, taken = [], bytearray(len(normalised.text))
        for start, end, entry in found:
            if not any(taken[start:end]):
                taken[start:end] = b"\x01" * (end - start)
                chosen.append((start, end, entry))
        return sorted(chosen, key=lambda match: match[0])


def outside_allowed(found, allowed):
    """The matches not inside an occurrence of an allowed phrase of their list. Per list, the
    furthest end reached by the phrases starting at or before each position is found by
    bisection, so that a text with thousands of both takes no longer than a few."""
    reach = {}
    for first, after, kinds in sorted(allowed, key=lambda occurrence: occurrence[0]):
        for kind in kinds:
            starts, ends = reach.setdefault(kind, ([], []))
            starts.append(first)
            ends.append(max(after, ends[-1]) if ends else after)
    kept = []
    for start, end, entry in found:
        starts, ends = reach.get(entry.kind, ((), ()))
        before = bisect_right(starts, start)
        if not before or ends[before - 1] < end:
            kept.append((start, end, entry))
    return kept


def keep(entries, key, entry):
    present = entries.get(key)
    if present is None or SEVERITY[entry.kind] < SEVERITY[present[1].kind]:
        entries[key] = (len(key), entry)


def every_match(built, text):
    """(start, end, entry) in characters of every match in `text` (encoded), overlapping ones
    included."""
    if built is None:
        return []
    return [
        (last // 2 + 1 - length, last // 2 + 1, entry) for last, (length, entry) in built.iter(text)
    ]


_matchers = {}
_lock = threading.Lock()


def matcher(site_id):
    """The site's matcher for the current version of its lists, built when it changed."""
    version = list_version(site_id)
    kept = _matchers.get(site_id)
    if kept is not None and kept[0] == version:
        return kept[1]
    with _lock:
        kept = _matchers.get(site_id)
        if kept is not None and kept[0] == version:
            return kept[1]
        built = Matcher(
            ListedWord.objects.filter(site_id=site_id).only("kind", "word", "right", "traditional"),
            AllowedPhrase.objects.filter(site_id=site_id).only("kind", "phrase"),
        )
        _matchers[site_id] = (version, built)
        return built


def findings_in(site_matcher, where, field, text):
    if not text:
        return []
    text = str(text)
    normalised = Normalised(text)
    findings = []
    for start, end, entry in site_matcher.matches(normalised):
        first, last = normalised.span(start, end)
        findings.append(
            Finding(
                kind=entry.kind,
                # As a reader sees it: characters nobody sees, typed inside, are left out.
                word=INVISIBLE.sub("", text[first:last]),
                right=entry.right,
                where=where,
                field=field,
                # On one line, as the editor is shown it (paragraphs are lines of their own).
                context=" ".join(
                    INVISIBLE.sub("", text[max(0, first - CONTEXT) : last + CONTEXT]).split()
                ),
                blocks=entry.kind != TYPO,
            )
        )
    return findings


def check_texts(site, texts):
    """The Verdict on (where, field, text) triples shown on `site` (a Site or its id; None for
    the default site)."""
    site_id = site_id_of(site)
    if site_id is None:
        return Verdict()
    site_matcher = matcher(site_id)
    findings = []
    if site_matcher.size:
        for where, field, text in texts:
            findings += findings_in(site_matcher, where, field, text)
    return Verdict(findings)


def check_object(obj, revision=None):
    """The Verdict on what `obj` (its `revision`'s content when given) shows readers, with the
    规范表述 findings a reviewer let through on it no longer blocking."""
    shown = revision.as_object() if revision is not None else obj
    verdict = check_texts(page_texts.site_of(obj), page_texts.texts_of(shown))
    if obj.pk is None or not any(f.kind == STANDARD and f.blocks for f in verdict.findings):
        return verdict
    let_through = set(StandardOverride.objects.of(obj).values_list("word", "context"))
    return Verdict(
        [
            replace(finding, blocks=False)
            if finding.kind == STANDARD and override_key(finding) in let_through
            else finding
            for finding in verdict.findings
        ]
    )


def record_override(obj, findings, user, reason):
    """core/content_gate.py's record_override: a reviewer lets these 规范表述 findings of `obj`
    through with a written reason, each recorded and logged (quality/overrides.py)."""
    for finding in findings:
        let_through(obj, finding, reason, user)

"""The demo site's 错敏词 lists: a few made-up entries of each list, marked as samples, to show how
the check and the lists work. No real list is committed; none of these occur in the demo articles
(so the demo publishes as it is), and loading twice adds nothing."""

from core.content_gate import BANNED, STANDARD, TYPO
from quality.word_lists import AllowedPhrase, ListedWord

NOTE = "演示用示例，非真实词表"
WORDS = [
    (BANNED, "示例禁用词", "", True),
    (BANNED, "演示违禁语", "", False),
    (STANDARD, "党支部书记记", "党支部书记", False),
    (STANDARD, "社会主义核心价值关", "社会主义核心价值观", False),
    (STANDARD, "中国共产党党章程", "中国共产党章程", False),
    (TYPO, "再接再励", "再接再厉", False),
    (TYPO, "按部就搬", "按部就班", False),
]
# A phrase that contains a 禁用词 and is allowed, as a place name would be.
PHRASES = [(BANNED, "示例禁用词典", "演示：含有禁用词的合法短语")]


def load_demo_words(site):
    for kind, word, right, traditional in WORDS:
        ListedWord.objects.get_or_create(
            site=site,
            kind=kind,
            word=word,
            defaults={"right": right, "traditional": traditional, "note": NOTE},
        )
    for kind, phrase, note in PHRASES:
        AllowedPhrase.objects.get_or_create(
            site=site, kind=kind, phrase=phrase, defaults={"note": note}
        )

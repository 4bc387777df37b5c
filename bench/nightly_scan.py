"""The nightly 错敏词 re-scan of 10,000 articles (`make bench`; never part of `make test`).

On the machine's PostgreSQL (or BENCH_DATABASE_URL) with the generated corpus grown to 10,000
articles (bench/corpus.py), the site's lists are filled with 20,000 made-up words, a few of which
occur in the corpus, and `quality/rescan.py` checks every live article of the site, timed in a
process of its own. The issue asks that it finishes and that its time is reported: the run prints
the pages checked, the findings, the time and the pages per second.
"""

import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import PYTHON, ROOT, bench_database_url, grow_corpus, prepare

CORPUS = 10_000
WORDS = 20_000

SCAN = """
import json, random, time, django
django.setup()
from wagtail.models import Site
from core.content_gate import BANNED, TYPO
from quality import rescan
from quality.word_lists import ListedWord

site = Site.objects.get(is_default_site=True)
ListedWord.objects.filter(site=site, note="bench").delete()
generator = random.Random(30)
alphabet = [chr(code) for code in range(0x4E00, 0x4E00 + 3000)]
made_up = {"".join(generator.choices(alphabet, k=generator.randint(2, 6))) for _ in range(%(words)d)}
rows = [ListedWord(site=site, kind=TYPO, word=word, note="bench") for word in sorted(made_up)]
# Words the generated articles do hold, so that the scan writes findings too.
rows += [ListedWord(site=site, kind=BANNED, word=word, note="bench") for word in ("友邻中心", "志愿服务")]
ListedWord.objects.bulk_create(rows, ignore_conflicts=True)
start = time.perf_counter()
checked, found = rescan.scan_site(site)
seconds = time.perf_counter() - start
ListedWord.objects.filter(site=site, note="bench").delete()
print(json.dumps({"checked": checked, "found": found, "seconds": seconds}))
"""


def main():
    env = prepare(bench_database_url())
    grow_corpus(env, CORPUS, at_least=True)
    print(f"Scanning every live page against {WORDS:,} listed words", flush=True)
    output = subprocess.run(
        [PYTHON, "-c", SCAN % {"words": WORDS}],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result = json.loads(output.strip().splitlines()[-1])
    rate = result["checked"] / result["seconds"]
    print(
        f"Nightly re-scan: {result['checked']:,} pages checked, {result['found']:,} findings, "
        f"{result['seconds']:.1f} s ({rate:,.0f} pages per second)"
    )


if __name__ == "__main__":
    main()

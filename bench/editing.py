"""The editor of the benchmarks that publish under load (bench/soak.py,
bench/publishing_under_load.py): a thread driving bench/editor.py, a process of its own started
once, so each publish goes through Wagtail's revision API and the page-published signal as an edit
in the admin does, and is then checked from the readers' side."""

import subprocess
import threading
import time
import urllib.request

from measure import PYTHON, ROOT

# The longest a publish may take before the editor counts it as failed.
EDIT_TIMEOUT = 60


class Editor(threading.Thread):
    """Publishes a new revision of one of the read articles every `every` seconds, the first
    half-way through the first interval, and checks that readers are served the new title within
    `visible_seconds`; a publish that fails or is not seen in time is a failure."""

    def __init__(self, env, port, articles, every, visible_seconds):
        super().__init__(daemon=True)
        self.port, self.articles = port, articles
        self.every, self.visible_seconds = every, visible_seconds
        self.stopping = threading.Event()
        self.published = 0
        self.failures = []
        self.process = subprocess.Popen(
            [PYTHON, "bench/editor.py"],
            cwd=ROOT,
            env={**env, "PYTHONIOENCODING": "utf-8"},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        if self.process.stdout.readline().strip() != "ready":
            raise RuntimeError("the editor process did not start")

    def run(self):
        next_edit = time.monotonic() + self.every / 2
        while not self.stopping.wait(max(0, next_edit - time.monotonic())):
            path = self.articles[(self.published + len(self.failures)) % len(self.articles)]
            try:
                self.publish(path)
                self.published += 1
            except Exception as error:
                self.failures.append(f"{path}: {error}")
                print(f"    editor FAILED on {path}: {error}", flush=True)
            next_edit += self.every

    def publish(self, path):
        mark = time.strftime("%H:%M:%S")
        page_id = path.rstrip("/").rsplit("/", 1)[1]
        started = time.monotonic()
        self.process.stdin.write(f"{page_id} {mark}\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline().strip()
        if answer != "published":
            raise RuntimeError(answer or "the editor process ended")
        published = time.monotonic()
        self.wait_until_served(path, f"（修订 {mark}）")
        print(
            f"    editor: published {path} in {published - started:.1f} s, "
            f"served {time.monotonic() - published:.2f} s later",
            flush=True,
        )

    def wait_until_served(self, path, title):
        """Three answers in a row with the new title, so that both workers have it."""
        deadline = time.monotonic() + self.visible_seconds
        in_a_row = 0
        while in_a_row < 3:
            if time.monotonic() > deadline:
                raise RuntimeError(f"the new title was not served within {self.visible_seconds} s")
            html = urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=5).read()
            in_a_row = in_a_row + 1 if title in html.decode() else 0

    def stop(self):
        self.stopping.set()
        self.join(EDIT_TIMEOUT)
        if self.is_alive():  # a publish that hangs: ending the editor makes it a failure
            self.process.kill()
            self.join()
        self.process.stdin.close()
        self.process.wait(timeout=EDIT_TIMEOUT)

"""The Nu HTML Checker (npm's vnu-jar, on the machine's Java), as the tests run it: documents
written to files, checked in one run of the checker, its errors returned as lines naming the
file, the line and the message."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

VNU_JAR = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def skip_unless_available():
    if not (VNU_JAR.exists() and shutil.which("java")):
        pytest.skip(
            "the Nu HTML Checker needs Java and `npm ci` (node_modules/vnu-jar); .ci/run installs both"
        )


def check_files(files):
    """The checker's errors in these files, one line each."""
    skip_unless_available()
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--stdout"]
        + [str(path) for path in files],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages = json.loads(result.stdout or "{}").get("messages", [])
    return [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m.get('message')}"
        f" [{m.get('extract', '').strip()}]"
        for m in messages
        if m.get("type") == "error"
    ]


def nu_errors(documents, folder):
    """The checker's errors in `documents` ({name: HTML as text or bytes}), written to `folder`."""
    skip_unless_available()
    files = []
    for name, html in documents.items():
        files.append(Path(folder) / f"{name}.html")
        if isinstance(html, bytes):
            files[-1].write_bytes(html)
        else:
            files[-1].write_text(html, encoding="utf-8")
    return check_files(files)

"""Every kind of public page is valid HTML, as the Nu HTML Checker (npm's vnu-jar on Java) sees it."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.demo_site import fill_in_site_identity, load_demo_site, pages_to_check

VNU_JAR = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

pytestmark = [
    pytest.mark.engine_independent,
    pytest.mark.skipif(
        not (VNU_JAR.exists() and shutil.which("java")),
        reason="the Nu HTML Checker needs Java and `npm ci` (node_modules/vnu-jar); .ci/run installs both",
    ),
]


def test_public_pages_have_no_html_errors(db, tmp_path):
    load_demo_site()
    client = Client()
    files = []
    for name, url in pages_to_check():
        response = client.get(url)
        assert response.status_code == (404 if name == "not-found" else 200), url
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(path)
    # The footer once staff have filled in the site's identity (empty in the demo).
    fill_in_site_identity()
    with_identity = client.get("/").content
    assert b'class="conac-badge"' in with_identity
    files.append(tmp_path / "home-with-site-identity.html")
    files[-1].write_bytes(with_identity)
    result = subprocess.run(
        [
            "java",
            "-jar",
            str(VNU_JAR),
            "--errors-only",
            "--format",
            "json",
            "--stdout",
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages = json.loads(result.stdout or "{}").get("messages", [])
    errors = [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m.get('message')} [{m.get('extract', '').strip()}]"
        for m in messages
        if m.get("type") == "error"
    ]
    assert errors == [], "\n".join(errors)
    assert len(files) >= 7

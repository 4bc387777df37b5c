"""Raw HTTP to a stack: a request written byte for byte (any path, any header), its answer, and a
signed-in admin session with cookies and the CSRF token, as a browser keeps them, that enrols a
phone and gives its codes where the site requires two-factor sign-in (as production does)."""

import html
import re
import secrets
import socket
from dataclasses import dataclass
from urllib.parse import urlencode

from stack.authenticator import Authenticator

# A reader's browser: requests without one are not counted as views.
CHROME_UA = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
# What tools send: looking with it counts no view.
TOOL_UA = "curl/8.5.0"


@dataclass
class Answer:
    status: int
    all_headers: list  # (lower-case name, value), in order, repeated names included
    body: bytes

    @property
    def headers(self):
        return dict(self.all_headers)

    @property
    def text(self):
        return self.body.decode("utf-8", errors="replace")


# Each account's phone on each site, from its enrolment on: a test opens several sessions of one
# account on one stack, and each after the first gives a code.
PHONES = {}
TWO_FACTOR = "/admin/two-factor/"


def _site_of(live):
    """What tells one site's database from another's: its DATABASE_URL (nginx's first stack's)."""
    stack = (getattr(live, "stacks", None) or [live])[0]
    environment = getattr(stack, "environment", None) or {}
    return environment.get("DATABASE_URL") or id(live)


class AdminSession:
    """A browser-like session in the admin over raw requests: cookies and the CSRF token. Where
    two-factor sign-in is required, the first sign-in of an account enrols a phone as a person
    would (the key read on the page, the first code typed, the recovery codes kept), and every
    later one gives a code (stack/authenticator.py)."""

    def __init__(self, live, password, username="admin"):
        self.live = live
        self.cookies = {}
        key = (_site_of(live), username)
        phone = PHONES.get(key)
        self.get("/admin/login/")
        fields = {"username": username, "password": password}
        if phone is not None:
            fields["otp_token"] = phone.sign_in_code()
        answer = self.post_form("/admin/login/", fields)
        assert answer.status == 302, answer.text[:500]
        if phone is None:
            answer = self.get("/admin/")
            if answer.status == 302 and answer.headers["location"] == TWO_FACTOR:
                PHONES[key] = self.enrol()

    def enrol(self):
        """The 两步验证 page answered: the phone, with the recovery codes it showed."""
        page = self.get(TWO_FACTOR).text
        found = re.search(r'<code id="two-factor-secret">([A-Z2-7 ]+)</code>', page)
        assert found, page[:2000]
        phone = Authenticator(found.group(1))
        answer = self.post_form(TWO_FACTOR, {"otp_token": phone.fresh_code()})
        codes = re.findall(r"<li><code>([a-z2-7-]+)</code></li>", html.unescape(answer.text))
        assert answer.status == 200 and len(codes) == 10, answer.text[:2000]
        phone.recovery_codes = codes
        return phone

    def post_form(self, path, data):
        """A form post with the CSRF token Django accepts: the cookie's own secret."""
        body = urlencode({**data, "csrfmiddlewaretoken": self.cookies["csrftoken"]}, doseq=True)
        return self.post(path, body, "application/x-www-form-urlencoded")

    def _send(self, method, path, **options):
        headers = options.pop("headers", {})
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        headers["Referer"] = self.live.url + path
        answer = self.live.request(method, path, headers=headers, **options)
        for name, value in answer.all_headers:
            if name == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";")[0]
        return answer

    def get(self, path):
        return self._send("GET", path)

    def post(self, path, body, content_type):
        body = body.encode() if isinstance(body, str) else body
        return self._send("POST", path, body=body, headers={"Content-Type": content_type})

    def upload_image(self, name, content):
        return self.upload("/admin/images/add/", {"title": "测试"}, name, content, "image/jpeg")

    def upload_document(self, title, name, content, collection):
        fields = {"title": title, "collection": collection}
        return self.upload("/admin/documents/add/", fields, name, content, "application/pdf")

    def upload(self, path, fields, name, content, content_type):
        """An admin add form with a file, sent as the browser sends it."""
        return self.upload_files(path, fields, [("file", name, content, content_type)])

    def upload_files(self, path, fields, files):
        """An admin form with files, each (field, file name, bytes, content type), sent as the
        browser sends it (several with the same field name for a multiple-file field)."""
        boundary = "----sitecms" + secrets.token_hex(8)
        fields = {"csrfmiddlewaretoken": self.cookies["csrftoken"], **fields}
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
            for key, value in fields.items()
        ]
        for field, name, content, content_type in files:
            parts.append(
                (
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; '
                    f'filename="{name}"\r\nContent-Type: {content_type}\r\n\r\n'
                ).encode()
                + content
                + b"\r\n"
            )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self.post(path, body, f"multipart/form-data; boundary={boundary}")


def send(port, method, path, *, headers=None, body=b"", timeout=10):
    """One request written byte for byte to the server (a path may be any bytes), and its answer.
    A header may be given as None to leave it out."""
    if isinstance(path, str):
        path = path.encode()
    lines = [method.encode() + b" " + path + b" HTTP/1.1", b"Host: 127.0.0.1", b"Connection: close"]
    # A reader's browser unless told otherwise: requests without one are not counted as views.
    for name, value in {"User-Agent": CHROME_UA, **(headers or {})}.items():
        if value is not None:
            lines.append(
                f"{name}: ".encode() + (value if isinstance(value, bytes) else value.encode())
            )
    if body:
        lines.append(b"Content-Length: " + str(len(body)).encode())
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
        connection.sendall(b"\r\n".join(lines) + b"\r\n\r\n" + body)
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
    if not received:
        # A worker killed while holding the connection closes it without a word.
        raise ConnectionResetError("the connection closed without an answer")
    head, _, content = received.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    answer_headers = []
    for line in header_lines:
        name, _, value = line.partition(":")
        answer_headers.append((name.strip().lower(), value.strip()))
    if ("transfer-encoding", "chunked") in answer_headers:
        content = _unchunk(content)
    return Answer(int(status_line.split()[1]), answer_headers, content)


def _unchunk(content):
    body = b""
    while content:
        size, _, rest = content.partition(b"\r\n")
        length = int(size.split(b";")[0], 16)
        if length == 0:
            break
        body += rest[:length]
        content = rest[length + 2 :]
    return body

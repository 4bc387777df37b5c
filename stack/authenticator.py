"""A phone's authenticator app for the tests and the stack's admin sessions: the TOTP codes of
RFC 6238 (HMAC-SHA1, 30-second steps, six digits) computed from the key the 两步验证 page shows in
text, as a person would type it into Google Authenticator, and the recovery codes that page
showed once. Written here from the RFC rather than taken from django-otp, so that the site's
checking is tested against an independent computation."""

import base64
import hashlib
import hmac
import struct
import time

STEP = 30
DIGITS = 6
# The steps of drift the site allows either way (django-otp's TOTPDevice.tolerance, 1 by default).
DRIFT = 1


def totp(key, step):
    """The code of time step `step` for the binary `key` (RFC 4226 truncation)."""
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**DIGITS).zfill(DIGITS)


class Authenticator:
    """One account's phone: `secret` as the page shows it (base32 in groups), and the recovery
    codes it showed. The site takes each time step's code once; `fresh_code` waits for the next
    step when this one's is spent."""

    def __init__(self, secret, recovery_codes=()):
        text = "".join(secret.split()).upper()
        self.key = base64.b32decode(text + "=" * (-len(text) % 8))
        self.recovery_codes = list(recovery_codes)
        self.last_step = -1

    @staticmethod
    def now_step():
        return int(time.time()) // STEP

    def code(self, step=None):
        return totp(self.key, self.now_step() if step is None else step)

    def fresh_code(self):
        """A code of a step not used yet: this step's or, once that is spent, the next one's at
        once (the site allows a step of drift either way, for a phone whose clock runs up to 30 s
        ahead); only a third code within the same step waits for the time to come."""
        step = max(self.now_step(), self.last_step + 1)
        if step > self.now_step() + DRIFT:
            time.sleep((step - DRIFT) * STEP - time.time() + 0.2)
        self.last_step = step
        return totp(self.key, step)

    def sign_in_code(self):
        """What a person signing in again at once would type: this step's code if unused, else a
        recovery code while any is left (sessions opened one after another in a test), else the
        next step's code."""
        if self.now_step() > self.last_step or not self.recovery_codes:
            return self.fresh_code()
        return self.recovery_codes.pop(0)

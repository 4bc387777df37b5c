"""Mail written to files (MAIL_DIR) when no mail server is configured, readable by the site's own
user only: a password-reset mail holds a link that signs in to the admin, and review mails name
drafts no reader may see yet. Django's file backend leaves both to the umask (0644 files)."""

import os

from django.core.mail.backends.filebased import EmailBackend


class PrivateFileEmailBackend(EmailBackend):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        os.chmod(self.file_path, 0o700)

    def open(self):
        if self.stream is None:
            descriptor = os.open(
                self._get_filename(), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600
            )
            self.stream = os.fdopen(descriptor, "ab")
            return True
        return False

"""Static files as whitenoise stores them (hashed names, compressed copies), with the manifest
that maps every name to its hashed file written beside the served folder rather than in it:
served, /static/staticfiles.json would list every asset of the site for anyone."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage


class UnlistedManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "manifest_storage", FileSystemStorage(location=settings.STATIC_MANIFEST_DIR)
        )
        super().__init__(*args, **kwargs)

    def save_manifest(self):
        super().save_manifest()
        # One an older collectstatic left in the served folder would still be served.
        if self.manifest_storage is not self and self.exists(self.manifest_name):
            self.delete(self.manifest_name)

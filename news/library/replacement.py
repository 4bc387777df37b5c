"""Changing what readers see of a picture or document a live page shows: reviewers only, and a
replaced file kept.

A picture or document in the library appears on every page that uses it, with no review of its
own: an editor who gave a live article's cover a new file, a new title (its alternative text on
the page) or a new focal point (the crop of its renditions), or a 附件 a new file or title (the
name readers download it under), would change a live page without the review step, which exists
to prevent exactly that. So the libraries' edit forms (news/library/uploads.py) refuse such a change
when Wagtail's reference index knows a live page that uses the picture or document, and say what
to do instead, to anyone without the library's permission to change media in use: the roles
(news/roles.py) grant it to reviewers (审核), and a superuser has it. Editors may still change its
tags and collection, and anything about a picture or document no live page uses.

Wagtail deletes the old file when one is replaced (and, for a picture, its renditions), so a
mistaken replacement could not be undone. Here the old file stays where it is in storage and a
`ReplacedFile` row records it, with who replaced it and when: nothing is copied, nothing moves,
and the same works on a shared volume or S3. `manage.py replaced_files` lists them,
`--restore N` puts one back (the file it replaces is kept in its turn), and `--delete N` removes
one for good (for a file that must not stay reachable at its old address). A picture's renditions
are still deleted on a replacement: they are made again from whichever file is current. Deleting
a picture or document deletes the files kept for it too.

A change saves the picture or document, whose `post_save` moves the site generation on in the
edit's transaction (core/signal_handlers.py), so every process shows it on its next request.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from wagtail.images.models import AbstractImage
from wagtail.models import Page, ReferenceIndex

from news.library.models import ReplacedFile

# Granted to 审核 (news/roles.py); an active superuser holds every permission.
CHANGES_MEDIA_IN_USE = "news.change_media_in_use"

TITLES_SHOWN = 3
REFUSED = {
    "picture": (
        "这张图片正用在已发布的页面上（{pages}）。替换图片文件会不经审核直接改变这些页面，"
        "只有审核人员可以替换。如需换图，请把新图片作为一张新图片上传，在页面草稿中选用它并提交审核；"
        "或请审核人员替换此文件。"
    ),
    "document": (
        "这个文档正被已发布的页面使用（{pages}）。替换文档文件会不经审核直接改变这些页面，"
        "只有审核人员可以替换。如需更换，请把新文件作为一个新文档上传，在页面草稿中改用它并提交审核；"
        "或请审核人员替换此文件。"
    ),
}
# What readers see of a picture or document besides its file: a picture's title is its
# alternative text on the page and its focal point the crop of its renditions; a document's
# title is the name its download is saved under, and its collection decides who may download it.
READER_FACING = {
    "picture": {
        "title",
        "focal_point_x",
        "focal_point_y",
        "focal_point_width",
        "focal_point_height",
    },
    "document": {"title", "collection"},
}
REFUSED_CHANGE = {
    "picture": (
        "这张图片正用在已发布的页面上（{pages}）。图片的标题是读者看到的替代文字，焦点决定裁切，"
        "修改会不经审核直接改变这些页面，只有审核人员可以修改。请联系审核人员修改，"
        "或在页面草稿中改用另一张图片并提交审核。"
    ),
    "document": (
        "这个文档正被已发布的页面使用（{pages}）。文档的标题是读者下载时看到的文件名，所在集合决定谁能下载，"
        "修改会不经审核直接改变这些页面，只有审核人员可以修改。请联系审核人员修改，"
        "或在页面草稿中改用另一个文档并提交审核。"
    ),
}


def live_pages_using(obj):
    """The live pages whose published content uses `obj` (Wagtail indexes a page's references
    from its live row, not from its drafts)."""
    page_ids = (
        ReferenceIndex.get_references_to(obj)
        .filter(base_content_type=ContentType.objects.get_for_model(Page))
        .values_list("object_id", flat=True)
    )
    return Page.objects.live().filter(pk__in=[int(page_id) for page_id in page_ids])


def may_replace_file(user, obj):
    if user is not None and user.has_perm(CHANGES_MEDIA_IN_USE):
        return True
    return not live_pages_using(obj).exists()


def kind_of(obj):
    return "picture" if isinstance(obj, AbstractImage) else "document"


def refusal(obj, messages=REFUSED):
    pages = list(live_pages_using(obj).order_by("pk").values_list("title", flat=True))
    named = "、".join(f"《{title}》" for title in pages[:TITLES_SHOWN])
    if len(pages) > TITLES_SHOWN:
        named += f"等 {len(pages)} 个页面"
    return messages[kind_of(obj)].format(pages=named)


def keep(obj, file_name, user=None):
    """Record `file_name`, no longer `obj`'s file, as kept; a picture's renditions, made from it,
    are deleted (Wagtail deletes their files once the transaction commits)."""
    ReplacedFile.objects.create(target=obj, file_name=file_name, replaced_by=user)
    if isinstance(obj, AbstractImage):
        obj.renditions.all().delete()


def restore(record, user=None):
    """Put a kept file back as its picture's or document's file; the current file is kept."""
    obj = record.target
    with transaction.atomic():
        current = obj.file.name
        obj.file = record.file_name  # for a picture, Django measures it again
        if isinstance(obj, AbstractImage):
            obj._set_image_file_metadata()
        else:
            obj._set_document_file_metadata()
        obj.file.close()
        obj.save()
        keep(obj, current, user)
        record.delete()
    return obj


def forget(record):
    """Delete a kept file for good."""
    storage = record.content_type.model_class()._meta.get_field("file").storage
    with transaction.atomic():
        record.delete()
        transaction.on_commit(lambda: storage.delete(record.file_name))


def forget_kept_files(model, instance):
    """A deleted picture or document takes its kept files with it (called once it is deleted)."""
    storage = model._meta.get_field("file").storage
    records = ReplacedFile.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id=instance.pk
    )
    names = list(records.values_list("file_name", flat=True))
    records.delete()
    for name in names:
        transaction.on_commit(lambda name=name: storage.delete(name))


class ReviewedReplacementForm:
    """For the image and document forms: refuse an editor's new file, title or focal point for
    something a live page shows, and keep the old file of every replacement instead of deleting
    it."""

    def __init__(self, *args, **kwargs):
        self.user = kwargs.get("user")
        super().__init__(*args, **kwargs)

    def replaces_file(self):
        return bool(self.instance.pk and self.original_file and "file" in self.changed_data)

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if self.replaces_file() and not may_replace_file(self.user, self.instance):
            raise ValidationError(refusal(self.instance), code="reviewer_needed")
        return file

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk:
            changed = READER_FACING[kind_of(self.instance)] & set(self.changed_data)
            if changed and not may_replace_file(self.user, self.instance):
                message = refusal(self.instance, REFUSED_CHANGE)
                # The focal point's fields are hidden: its refusal is said above the form.
                field = next((name for name in ("title", "collection") if name in changed), None)
                self.add_error(field, message)
        return cleaned_data

    def save(self, commit=True):
        old_name = self.original_file.name if self.replaces_file() else None
        if old_name and commit:
            # Wagtail's form deletes the file it is given as the original one (and a picture's
            # renditions); without one it deletes nothing, and keep() does the rest.
            self.original_file = None
        instance = super().save(commit=commit)
        if old_name and commit:
            keep(instance, old_name, self.user)
        return instance

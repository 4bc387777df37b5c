"""Deleting something others still hold on to (a foreign key with on_delete=PROTECT) is refused
in the admin with a Chinese message naming what holds it, before anything is deleted: Django
would raise ProtectedError in the middle of the delete, which the admin answers with a 500. Used
by the delete views of groups (security/user_views.py) and of the 办理单位
(interaction/wagtail_hooks.py)."""

from django.contrib import messages
from django.db import router
from django.db.models.deletion import Collector, ProtectedError
from django.shortcuts import redirect

SHOWN = 3


def protected_by(instance):
    """The objects whose PROTECT foreign keys keep `instance` from being deleted (none: it may
    be). Collecting what a delete would touch only reads."""
    collector = Collector(using=router.db_for_write(type(instance)))
    try:
        collector.collect([instance])
    except ProtectedError as error:
        return list(error.protected_objects)
    return []


def refusal(instance, holders):
    kinds = "、".join(sorted({str(holder._meta.verbose_name) for holder in holders}))
    named = "、".join(str(holder) for holder in holders[:SHOWN])
    more = f"等 {len(holders)} 项" if len(holders) > SHOWN else ""
    return f"“{instance}”还在使用中，不能删除：{kinds}（{named}{more}）要保留它。"


class RefuseProtectedDeleteMixin:
    """For a Wagtail generic DeleteView: the confirmation is not offered and the delete not
    tried while something protects the object; back to the index with why."""

    def refused(self):
        holders = protected_by(self.object)
        if not holders:
            return None
        messages.error(self.request, refusal(self.object, holders))
        return redirect(self.index_url_name)

    # In get and post, not dispatch: after the view has checked who asks.
    def get(self, request, *args, **kwargs):
        return self.refused() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self.refused() or super().post(request, *args, **kwargs)

"""The 错敏词 check in the edit forms of pages and snippets, where a text is submitted or published.

The check (core/content_gate.py) runs once the form is otherwise valid, and only for the actions
that send a text towards readers: 提交审核, 发布, 重新提交 and a reviewer's 批准 in the page editor,
发布 in a snippet's. Each is decided as Wagtail's views decide it, permissions included, so a
button the user may not use counts for nothing here as it does there; an autosave or a draft save
is never checked. The form is checked as it would be saved (the page with its blocks and
attachments as posted, not yet stored).

A blocking finding is put where the editor meets it: beside its field, or inside the StreamField
block that holds it (the 小节 of an 议程, a table's caption), with the words around it and the right
form; what cannot be placed goes to the top of the form. Warnings (易错词) do not stop anything and
are said once the action is done (core/content_refusals.py).

A reviewer (whoever may publish the page, or approve it at its current step) may keep the wording
of 规范表述 findings with a written reason: the field for it appears only once such a finding has
stopped them, and is not in the form of anyone else, so an editor posting it is not heard. The
decision goes to the checker's record and the audit log (core/content_gate.py record_override).
"""

import dataclasses

from django import forms
from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.typed_table_block.blocks import (
    TypedTableBlock,
    TypedTableBlockValidationError,
)
from wagtail.fields import StreamField

from core import content_gate

OVERRIDE_FIELD = "content_override_reason"
OVERRIDE_LABEL = "保留原写法的理由"
PUBLISH, SUBMIT, RESTART, APPROVE = "publish", "submit", "restart", "approve"
ACTION_WORDS = {PUBLISH: "发布", SUBMIT: "提交审核", RESTART: "重新提交", APPROVE: "批准"}
REFUSED = "有 {count} 处{kinds}须改正后才能{action}，已在所在位置标出。"
MAY_OVERRIDE = f"如确需保留规范表述的原写法，请在“{OVERRIDE_LABEL}”中写明理由后再{{action}}。"
ASK_A_REVIEWER = "如确需保留规范表述的原写法，请保存草稿，由审核人员填写理由后发布。"
SAVE_FIRST = "新建的页面不能保留规范表述的原写法：请先保存草稿，再填写理由。"
# Said in the error banner beside the StreamField's label, in place of Wagtail's English summary.
PLACED_IN_BLOCKS = "有 {count} 处须改正，已在所在位置标出"
# The user object of the request carries the warnings to the message the middleware adds.
WARNINGS_ATTRIBUTE = "content_gate_warnings"


class PlacedFindings(blocks.StreamBlockValidationError):
    """The findings placed inside a StreamField's blocks. Wagtail's error banner lists each
    field's error by its message, and StreamBlockValidationError's is a fixed English sentence
    (not one gettext can translate), so the summary here is said in Chinese."""

    def __init__(self, error, count):
        super().__init__(block_errors=error.block_errors, non_block_errors=error.non_block_errors)
        self.message = PLACED_IN_BLOCKS.format(count=count)


def finding_here(finding):
    """A finding as said beside the field or block that holds it: where is plain to see."""
    if finding.right:
        text = f"{finding.kind_name}“{finding.word}”应为“{finding.right}”"
    else:
        text = f"{finding.kind_name}“{finding.word}”不得使用"
    return f"{text}。原文：“{finding.context}”" if finding.context else f"{text}。"


def split_path(path):
    """("body", [2, "body", 1, "heading"]) from "body-2-value-body-1-value-heading": positions in
    a stream or a list as numbers, a struct's children by name; Wagtail's "value" is skipped."""
    name, *parts = path.split("-")
    return name, [int(part) if part.isdigit() else part for part in parts if part != "value"]


def _node():
    return {"messages": [], "children": {}}


def _all_messages(node):
    messages = list(node["messages"])
    for child in node["children"].values():
        messages.extend(_all_messages(child))
    return messages


def block_error(block, value, node):
    """The validation error that shows `node`'s messages inside `block` (holding `value`), each
    at the child block its path names; a path the value does not have ends where it stops."""
    messages = list(node["messages"])
    children = {}
    if isinstance(block, blocks.BaseStreamBlock):
        for index, child in node["children"].items():
            if isinstance(index, int) and 0 <= index < len(value):
                children[index] = block_error(value[index].block, value[index].value, child)
            else:
                messages.extend(_all_messages(child))
        return blocks.StreamBlockValidationError(block_errors=children, non_block_errors=messages)
    if isinstance(block, blocks.BaseStructBlock):
        for name, child in node["children"].items():
            if name in block.child_blocks:
                children[name] = block_error(block.child_blocks[name], value.get(name), child)
            else:
                messages.extend(_all_messages(child))
        return blocks.StructBlockValidationError(block_errors=children, non_block_errors=messages)
    if isinstance(block, blocks.ListBlock):
        for index, child in node["children"].items():
            if isinstance(index, int) and 0 <= index < len(value):
                children[index] = block_error(block.child_block, value[index], child)
            else:
                messages.extend(_all_messages(child))
        return blocks.ListBlockValidationError(block_errors=children, non_block_errors=messages)
    messages.extend(
        message for child in node["children"].values() for message in _all_messages(child)
    )
    if isinstance(block, TypedTableBlock):
        return TypedTableBlockValidationError(non_block_errors=messages)
    return ValidationError(messages)


def override_field():
    """The reviewer's reason, declared on a form that offers it (Django collects only the fields
    declared on form classes)."""
    return forms.CharField(
        label=OVERRIDE_LABEL,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="写明为何保留规范表述的原写法（例如引用原文）；理由记入审计日志",
    )


class ContentGateMixin:
    """The check of a page's or snippet's edit form; subclasses say which post is an action that
    sends the text towards readers (gated_action) and who may keep a 规范表述 (may_override)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.content_verdict = None
        self.asks_for_override = False
        if OVERRIDE_FIELD in self.fields and not (self.is_bound and self.may_override()):
            # Not shown, and not read from a post: the reason counts only from a reviewer.
            del self.fields[OVERRIDE_FIELD]

    def gated_action(self):
        return None

    def may_override(self):
        return False

    def site_of_new_object(self):
        return None

    def is_valid(self):
        if not super().is_valid():
            return False
        action = self.gated_action()
        return action is None or self.check_content(action)

    def check_content(self, action):
        # The object as it would be saved; a form's save() that does more than build it (records
        # a reason, news/forms.py) leaves that to the real save while `checking_content` is set.
        self.checking_content = True
        try:
            obj = self.save(commit=False)
        finally:
            self.checking_content = False
        if obj.pk is None and (site := self.site_of_new_object()) is not None:
            obj._gate_site = site
        verdict = self.overridden(obj, content_gate.check_object(obj))
        self.content_verdict = verdict
        if verdict:
            # Said once the action is done, and only then: a refused one says nothing later.
            if verdict.warnings and self.for_user is not None:
                setattr(self.for_user, WARNINGS_ATTRIBUTE, verdict.warnings)
            return True
        self.place_findings(obj, verdict.blocking, action)
        return False

    def override_reason(self):
        if OVERRIDE_FIELD not in self.fields:
            return ""
        return (self.cleaned_data.get(OVERRIDE_FIELD) or "").strip()

    def overridden(self, obj, verdict):
        """The verdict with the 规范表述 findings a reviewer keeps with a reason, recorded, no
        longer blocking; only when then nothing else blocks (a refused action keeps nothing)."""
        standard = [f for f in verdict.blocking if f.kind == content_gate.STANDARD]
        reason = self.override_reason()
        if not standard or not reason or obj.pk is None:
            return verdict
        if any(f.kind != content_gate.STANDARD for f in verdict.blocking):
            return verdict
        content_gate.record_override(obj, standard, self.for_user, reason)
        return content_gate.Verdict(
            [
                dataclasses.replace(finding, blocks=False) if finding in standard else finding
                for finding in verdict.findings
            ]
        )

    def place_findings(self, obj, findings, action):
        kinds = "、".join(dict.fromkeys(finding.kind_name for finding in findings))
        words = ACTION_WORDS[action]
        self.add_error(None, REFUSED.format(count=len(findings), kinds=kinds, action=words))
        if any(finding.kind == content_gate.STANDARD for finding in findings):
            if OVERRIDE_FIELD not in self.fields:
                self.add_error(None, ASK_A_REVIEWER)
            elif obj.pk is None:
                self.add_error(None, SAVE_FIRST)
            else:
                self.asks_for_override = True
                self.add_error(None, MAY_OVERRIDE.format(action=words))
        streams, counts = {}, {}
        for finding in findings:
            name, path = split_path(finding.field or "")
            message = finding_here(finding)
            field = self.fields.get(name)
            if field is not None and stream_block(obj, name) is not None:
                node = streams.setdefault(name, _node())
                for part in path:
                    node = node["children"].setdefault(part, _node())
                node["messages"].append(message)
                counts[name] = counts.get(name, 0) + 1
            elif field is not None and not path:
                self.add_error(name, message)
            elif not self.placed_in_formset(name, path, message):
                self.add_error(None, f"{finding.where}：{message}" if finding.where else message)
        for name, node in streams.items():
            value = self.cleaned_data.get(name, getattr(obj, name))
            error = block_error(stream_block(obj, name), value, node)
            self.add_error(name, PlacedFindings(error, counts[name]))

    def placed_in_formset(self, name, path, message):
        """An inline row's field (an attachment's 显示名称): beside it, in the order the rows are
        kept."""
        formset = getattr(self, "formsets", {}).get(name)
        if formset is None or len(path) != 2 or not isinstance(path[0], int):
            return False
        rows = formset.ordered_forms if formset.can_order else formset.forms
        kept = [
            row
            for row in rows
            if not (formset.can_delete and formset._should_delete_form(row))
            and (row.instance.pk is not None or row.has_changed())
        ]
        index, child = path
        if index >= len(kept) or child not in kept[index].fields:
            return False
        kept[index].add_error(child, message)
        return True


def stream_block(obj, name):
    """The block of `obj`'s StreamField `name`, or None for any other name."""
    fields = {field.name: field for field in obj._meta.get_fields()}
    field = fields.get(name)
    return field.stream_block if isinstance(field, StreamField) else None


def page_action(form):
    """The action Wagtail's page create or edit view takes with this post, if it is one the check
    runs on: decided as the views decide it (wagtail/admin/views/pages/create.py and edit.py),
    with their permission checks."""
    data, user, page = form.data, form.for_user, form.instance
    if user is None:
        return None
    if page.pk is None:
        parent = form.parent_page
        if parent is None:
            return None
        if data.get("action-publish") and parent.permissions_for_user(user).can_publish_subpage():
            return PUBLISH
        if data.get("action-submit") and parent.has_workflow:
            return SUBMIT
        return None
    permissions = page.permissions_for_user(user)
    if data.get("action-publish") and permissions.can_publish():
        return PUBLISH
    if data.get("action-submit") and permissions.can_submit_for_moderation():
        return SUBMIT
    state = page.current_workflow_state
    if (
        data.get("action-restart-workflow")
        and permissions.can_submit_for_moderation()
        and state is not None
        and state.user_can_cancel(user)
    ):
        return RESTART
    if data.get("action-workflow-action") and data.get("workflow-action-name") == "approve":
        task = page.current_workflow_task
        if task is not None and "approve" in [name for name, *_ in task.get_actions(page, user)]:
            return APPROVE
    return None


def reviews_page(page, user):
    """Whether `user` may publish the page, or approve it at its current step."""
    if user is None or page.pk is None:
        return False
    if page.permissions_for_user(user).can_publish():
        return True
    task = page.current_workflow_task
    return task is not None and "approve" in [name for name, *_ in task.get_actions(page, user)]


class PageGateMixin(ContentGateMixin):
    """The check in a page's edit form."""

    def gated_action(self):
        return page_action(self)

    def may_override(self):
        return reviews_page(self.instance, self.for_user)

    def site_of_new_object(self):
        return self.parent_page.get_site() if self.parent_page is not None else None


class SnippetGateMixin(ContentGateMixin):
    """The check in a snippet's edit form (one with drafts: 发布 is its only way out)."""

    def gated_action(self):
        user = self.for_user
        opts = self.instance._meta
        if not self.data.get("action-publish") or user is None:
            return None
        return PUBLISH if user.has_perm(f"{opts.app_label}.publish_{opts.model_name}") else None


class ContentOverridePanel(FieldPanel):
    """保留原写法的理由, shown to a reviewer once a 规范表述 has stopped them."""

    def __init__(self, field_name=OVERRIDE_FIELD, **kwargs):
        super().__init__(field_name, **kwargs)

    class BoundPanel(FieldPanel.BoundPanel):
        def is_shown(self):
            return super().is_shown() and getattr(self.form, "asks_for_override", False)

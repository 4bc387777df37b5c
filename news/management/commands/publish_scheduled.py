"""Wagtail's `publish_scheduled`, which first takes off the schedule every due revision that the
错敏词 check now blocks, and reports it (news/go_live_check.py): the rest go live as scheduled, and
one blocked article never stops the others."""

from wagtail.management.commands.publish_scheduled import Command as WagtailCommand

from news.go_live_check import hold_blocked_go_lives


class Command(WagtailCommand):
    def handle(self, *args, **options):
        if not options["dryrun"]:
            for obj, _revision, verdict in hold_blocked_go_lives():
                self.stdout.write(f"未发布（错敏词）：{obj}：{len(verdict.blocking)} 处")
        super().handle(*args, **options)

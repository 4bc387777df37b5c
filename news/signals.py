"""The newsroom's own receiver: a column added later is open to editors and reviewers, and goes
through review, as soon as it is published (connected in NewsConfig.ready)."""

from news.roles import grant_column


def new_column_gets_roles(sender, instance, **kwargs):
    grant_column(instance)

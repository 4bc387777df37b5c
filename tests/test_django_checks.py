"""What `manage.py check` and `makemigrations --check` say of the project, asked inside the test
run, which has loaded Django already, instead of by two more processes that load it again."""

from io import StringIO

import pytest
from django.core.management import call_command


def test_django_system_checks_find_no_error():
    call_command("check", stdout=StringIO())  # raises SystemCheckError on an error


@pytest.mark.django_db
def test_every_model_change_has_its_migration():
    output = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=output)
    except SystemExit:
        pytest.fail(f"models changed without a migration:\n{output.getvalue()}")

"""Two gunicorn instances of the same user on one machine do not share a control socket.

gunicorn 25+ opens one for `gunicornc` at a path per user (~/.gunicorn/gunicorn.ctl): the second
instance took it over, stopping either removed it, and a command meant for one reached the other.
gunicorn.conf.py opens none unless GUNICORN_CONTROL_SOCKET names a path for the instance.
"""

import pytest
from gunicorn.ctl.client import ControlClient

from stack.services import wait_for
from stack.site import Gunicorn, prepared_sqlite_site


@pytest.fixture(scope="module")
def environment(tmp_path_factory):
    return prepared_sqlite_site(tmp_path_factory.mktemp("control-socket"), SCHEDULER_ENABLED=0)


def test_no_instance_opens_a_control_socket_unless_told_where(environment, tmp_path):
    with (
        Gunicorn(environment, tmp_path / "one.log") as one,
        Gunicorn(environment, tmp_path / "two.log") as two,
    ):
        logs = one.log() + two.log()
    assert "Control socket" not in logs, logs[-3000:]


def test_each_instance_answers_on_its_own_control_socket(environment, tmp_path):
    paths = [tmp_path / "one.ctl", tmp_path / "two.ctl"]
    stacks = [
        Gunicorn({**environment, "GUNICORN_CONTROL_SOCKET": str(path)}, tmp_path / f"{n}.log")
        for n, path in enumerate(paths)
    ]
    try:
        for stack, path in zip(stacks, paths, strict=True):
            # The master opens it once its workers are up, a moment after the first answer.
            assert wait_for(path.exists, seconds=10), stack.log()[-3000:]
            with ControlClient(str(path), timeout=10) as client:
                workers = client.send_command("show workers")["workers"]
            assert {worker["pid"] for worker in workers} == set(stack.worker_pids())
        stacks[0].close()
        # Stopping one leaves the other's socket where it was.
        assert not paths[0].exists()
        assert paths[1].exists()
    finally:
        for stack in stacks:
            stack.close()

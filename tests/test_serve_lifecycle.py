"""`make run`: Ctrl-C stops the web server and the database; the next start finds the data."""

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from nejat.ops.db.embedded.base import running_server_pid, stop_server
from tests.helpers.servers import ROOT, port_is_closed, start, wait_for_home
from tests.helpers.services import free_port

pytestmark = pytest.mark.processes  # not again in the far zones: no dates here


def start_site(var_dir, port, *options):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(DEBUG="1", NEJAT_VAR_DIR=str(var_dir), PYTHONUNBUFFERED="1")
    return subprocess.Popen(
        [sys.executable, "manage.py", "serve", f"127.0.0.1:{port}", *options],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group, like a terminal's foreground job
    )


def job_workers(process):
    """The job-queue workers among ``process``'s children."""
    children = psutil.Process(process.pid).children(recursive=True)
    return [child.pid for child in children if "procrastinate" in child.cmdline()]


def press_ctrl_c(process):
    """Ctrl-C in a terminal signals the whole foreground process group."""
    os.killpg(process.pid, signal.SIGINT)
    output, _ = process.communicate(timeout=60)
    return output


def terminate(process):
    """A process manager signals only the process it started."""
    process.terminate()
    output, _ = process.communicate(timeout=60)
    return output


def test_ctrl_c_stops_site_and_database_and_data_survives(var_dir):
    tmp_path = var_dir
    pgdata = tmp_path / "pgdata"
    port = free_port()
    first = start_site(tmp_path, port)
    try:
        assert "Older Posts" in wait_for_home(port, first)
        assert running_server_pid(pgdata)
        (worker,) = job_workers(first)  # a job worker beside the web server
    finally:
        output = press_ctrl_c(first)
    assert not psutil.pid_exists(worker)
    assert "Demo articles: 32 created." in output
    # The one-time admin password comes under "Serving on", and again after the stop.
    assert output.index("Serving on") < output.index("password:")
    assert output.rindex("Embedded database stopped") < output.rindex("password:")
    assert running_server_pid(pgdata) is None
    assert port_is_closed(port)

    second = start_site(tmp_path, port, "--no-worker")  # workers run elsewhere
    try:
        assert "Older Posts" in wait_for_home(port, second)
        assert job_workers(second) == []
    finally:
        output = terminate(second)
    assert "already present, nothing added" in output
    assert "Admin account created" not in output
    assert running_server_pid(pgdata) is None
    assert port_is_closed(port)

    third = start_site(tmp_path, port)
    try:
        wait_for_home(port, third)
    finally:
        # An impatient second Ctrl-C while it cleans up must not leave the database running.
        os.killpg(third.pid, signal.SIGINT)
        time.sleep(0.3)
        if third.poll() is None:
            os.killpg(third.pid, signal.SIGINT)
        third.communicate(timeout=60)
    assert running_server_pid(pgdata) is None
    assert port_is_closed(port)


def test_stopping_a_web_server_that_is_already_gone():
    from nejat.management.commands.serve import stop_process_group

    gone = subprocess.Popen([sys.executable, "-c", "pass"], process_group=0)
    gone.wait()  # exited and reaped between the check and the stop
    stop_process_group(gone)  # no ProcessLookupError
    assert gone.returncode == 0


def descendants(pid):
    """The PIDs of ``pid``'s children, their children and so on (from /proc)."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # exited meanwhile
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        children = parents.get(todo.pop(), [])
        found += children
        todo += children
    return found


def is_running(pid):
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; only its parent's wait is missing


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
@pytest.mark.parametrize("production", [False, True], ids=["make run", "production"])
def test_the_web_server_ends_with_a_killed_serve(site_copy, production, request):
    var_dir, port = site_copy, free_port()
    if production:
        serve = start(var_dir, port, REDIS_URL=request.getfixturevalue("redis_url"))
        serve.stdout = io.StringIO("see serve.log")
    else:
        serve = start_site(var_dir, port)
    web = []
    try:
        wait_for_home(port, serve)
        web += [
            pid
            for pid in descendants(serve.pid)
            if "postgres" not in Path(f"/proc/{pid}/comm").read_text()
        ]
        assert web, "no web server under serve"
        os.kill(serve.pid, signal.SIGKILL)  # as the OOM killer does: no chance to clean up
        serve.wait(timeout=10)
        deadline = time.monotonic() + 30
        while any(map(is_running, web)) or not port_is_closed(port):
            assert time.monotonic() < deadline, [pid for pid in web if is_running(pid)]
            time.sleep(0.2)
    finally:
        if serve.poll() is None:
            os.kill(serve.pid, signal.SIGKILL)
            serve.wait()
        for pid in filter(is_running, web):  # only if the test failed
            os.kill(pid, signal.SIGKILL)
        stop_server(var_dir / "pgdata")  # left running by the kill, for the next start

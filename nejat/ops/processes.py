"""A child process ends with its parent, however the parent ends (SIGKILL, the OOM killer).

``manage.py serve`` starts the web server in a process group of its own; killed without a chance
to stop it, it used to leave granian (or runserver) holding the port and answering 500s with the
database gone. On Linux the kernel sends a child a signal when its parent dies
(``prctl(PR_SET_PDEATHSIG)``); elsewhere nothing changes.

- ``die_with_parent(parent_pid)``: for ``subprocess.Popen(preexec_fn=...)``, in the child
  before it runs its program.
- ``DIE_WITH_PARENT``: set in the child's environment; ``manage.py`` then does the same for the
  processes it starts itself (runserver's autoreloader restarts the server as its own child).
"""

import ctypes
import os
import signal
import sys

DIE_WITH_PARENT = "NEJAT_DIE_WITH_PARENT"
PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid=None, signum=signal.SIGTERM, prctl=None):
    """Ask the kernel for ``signum`` (SIGTERM: granian stops gracefully) when the parent dies;
    exit at once if it has already died (the parent is then no longer ``parent_pid``)."""
    prctl = prctl or linux_prctl()
    if prctl is None:
        return
    parent_pid = os.getppid() if parent_pid is None else parent_pid
    if prctl(PR_SET_PDEATHSIG, int(signum), 0, 0, 0) != 0:
        return  # not allowed here: the parent's own stop still applies
    if os.getppid() != parent_pid:
        os._exit(1)


def linux_prctl():
    """libc's ``prctl`` on Linux, else None."""
    if not sys.platform.startswith("linux"):
        return None
    return ctypes.CDLL(None, use_errno=True).prctl


def preexec_dying_with(parent_pid):
    """A ``preexec_fn`` for a child of ``parent_pid`` (this process). libc is looked up here,
    in the parent: between fork and exec the child may only call what is already loaded (a
    thread of the parent may have held the loader's lock when it forked)."""
    prctl = linux_prctl()
    return lambda: die_with_parent(parent_pid, prctl=prctl) if prctl else None

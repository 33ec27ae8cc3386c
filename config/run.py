"""`make run`: the Procfile's web, worker and beat under honcho; Ctrl-C stops all three.

`honcho start` sends SIGKILL to whatever still runs 5 seconds after Ctrl-C (a fixed limit,
honcho issue 189) and exits 130 however cleanly everything stopped, so `make` said "Error 130"
and a Celery worker in its warm shutdown (7-9 s on a busy laptop: it lets running tasks finish)
was killed. This runs the same Procfile through honcho's `Manager`, gives the processes
`STOP_GRACE_SECONDS` (30) to stop, and exits 0 when they stopped by themselves.

Ctrl-C goes to the terminal's foreground process group, and `make` is in it: whatever its
recipe does, make dies of the signal and reports "Interrupt". So, as a shell does for a job,
this process takes a process group of its own as the terminal's foreground group while it runs
and hands the terminal back before it exits; make then sees a command that ended with 0.

Honcho stamps each line with the time; it is the desk's time zone (`TIME_ZONE`), the one
Django and Celery write in their own lines too.
"""

import os
import signal
import sys
from contextlib import contextmanager
from pathlib import Path

import honcho.manager
from honcho.environ import expand_processes, parse_procfile
from honcho.printer import Printer

STOPPED_BY_SIGNAL = {130, 143}  # honcho's code after SIGINT / SIGTERM


class _Manager(honcho.manager.Manager):
    """Remembers whether honcho had to kill a process that did not stop in time."""

    forced = False

    def kill(self):
        self.forced = True
        super().kill()


@contextmanager
def _foreground_of_the_terminal():
    """Be the terminal's foreground process group for the block (no terminal: no change)."""
    try:
        tty = os.open("/dev/tty", os.O_RDWR)
        previous = os.tcgetpgrp(tty)
    except OSError:  # no controlling terminal (CI, a pipe): the caller's signals reach us
        yield
        return
    if previous != os.getpgrp():  # started in the background: the terminal is not ours
        os.close(tty)
        yield
        return
    # A background group that sets the terminal's group is sent SIGTTOU; the handover is ours.
    untouched = signal.signal(signal.SIGTTOU, signal.SIG_IGN)
    try:
        os.setpgid(0, 0)
        os.tcsetpgrp(tty, os.getpgrp())
        yield
    finally:
        os.tcsetpgrp(tty, previous)
        signal.signal(signal.SIGTTOU, untouched)
        os.close(tty)


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.conf import settings

    settings.TIME_ZONE  # noqa: B018 — reading settings sets TZ, so honcho's stamps match
    # The one knob honcho has for its grace period is this module constant (issue 189).
    honcho.manager.KILL_WAIT = int(os.environ.get("STOP_GRACE_SECONDS", "30"))

    root = Path(settings.BASE_DIR)
    procfile = parse_procfile((root / "Procfile").read_text())
    manager = _Manager(Printer(sys.stdout))
    port = int(os.environ.get("PORT", "8000"))
    for process in expand_processes(procfile.processes, port=port):
        manager.add_process(process.name, process.cmd, env={**os.environ, **process.env})
    with _foreground_of_the_terminal():
        manager.loop()
    if manager.forced:
        print("Some processes did not stop within STOP_GRACE_SECONDS and were killed.")
        return 1
    if manager.returncode in STOPPED_BY_SIGNAL:
        return 0
    return manager.returncode or 0


if __name__ == "__main__":
    sys.exit(main())

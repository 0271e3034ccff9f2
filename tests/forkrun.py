"""A small fork server for the hostile-input tests: imports nianbao (and its heavy libraries) once,
then runs each requested command line in a forked child with resource limits set by setrlimit
(CPU seconds, address space), its own temp folder and its output in files.

Protocol: one JSON request per line on stdin ``{"argv": [...], "cwd": ..., "tmp": ..., "out": ..., "err": ...}``,
one JSON answer per line on stdout ``{"rc": int, "signal": int, "maxrss_kb": int}``.
"""
from __future__ import annotations

import io
import json
import os
import resource
import signal
import sys
import tempfile

CPU_SECONDS = 10
ADDRESS_SPACE = 1536 * 1024 * 1024  # a bound that stops runaway allocation; peak RSS is checked separately
# A blocked read (a pipe, a device) must not hang the suite.  Wall-clock seconds, so far above what
# CPU_SECONDS of work takes even when the other test workers and LibreOffice share the cores: a
# runaway computation is stopped by the CPU limit, this only ends a child that waits forever.
HANG_SECONDS = 150


def _preload() -> None:
    import docx  # noqa: F401
    import docxtpl  # noqa: F401
    import jinja2.sandbox  # noqa: F401
    import lxml.etree  # noqa: F401
    import openpyxl  # noqa: F401

    from nianbao import cli, loading, rules, word, workbook  # noqa: F401
    from nianbao.addin import actions, file_access  # noqa: F401
    from nianbao.word import bounded  # noqa: F401


def _child(req: dict) -> None:
    try:
        os.chdir(req["cwd"])
        os.environ["TMPDIR"] = req["tmp"]
        tempfile.tempdir = None
        resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
        resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))
        signal.alarm(HANG_SECONDS)
        for fd, name in ((1, req["out"]), (2, req["err"])):
            f = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            os.dup2(f, fd)
            os.close(f)
        sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), encoding="utf-8", line_buffering=True)
        sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), encoding="utf-8", line_buffering=True)
        sys.stdin = io.StringIO("")
        from nianbao import cli
        rc = cli.main(req["argv"])
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(rc if isinstance(rc, int) else 0)
    except SystemExit as e:  # argparse
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(e.code if isinstance(e.code, int) else 2)
    except BaseException:  # noqa: BLE001 - report it as the traceback the test looks for
        import traceback
        try:
            sys.stderr.write("Traceback (fork runner)\n" + traceback.format_exc())
            sys.stderr.flush()
        finally:
            os._exit(99)


def main() -> None:
    _preload()
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        req = json.loads(line)
        pid = os.fork()
        if pid == 0:
            _child(req)
        _, status, usage = os.wait4(pid, 0)
        answer = {"rc": os.waitstatus_to_exitcode(status), "maxrss_kb": usage.ru_maxrss,
                  "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else 0}
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main()

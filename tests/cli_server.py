"""A `techdept` executable for the long shell walks (the READMEs, `make demo`) that starts
each command as a real process without paying Python's start-up and imports every time.

    python tests/cli_server.py SOCKET BIN_DIR

imports the heavy libraries and techdept's language-free layers (ledger, services, rules,
documents, forms) once, writes ``BIN_DIR/techdept``, a tiny client, and serves it: for each
command the client sends its arguments, environment, working directory and umask, and passes
its own stdin, stdout and stderr; the server forks, and the child — a fresh process with
those three descriptors, that environment and that directory — runs ``techdept.cli:main``
exactly as the installed console script does, and the client exits with the child's exit
code. Nothing runs in the server before a fork but imports: the command line, the
catalogues' language and every command module are loaded in the child (``commands/`` words
its help at import, so it is never imported here — checked below), so no state passes from
one command to the next. The installed console script itself is walked by the wheel test and
started by the start-up tests."""

from __future__ import annotations

import array
import contextlib
import importlib
import json
import os
import pkgutil
import signal
import socket
import struct
import sys
import threading
from pathlib import Path

CLIENT = r"""#!{python} -SE
import array, json, os, socket, struct, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect({socket!r})
umask = os.umask(0o22); os.umask(umask)
body = json.dumps(dict(argv=sys.argv[1:], env=dict(os.environ), cwd=os.getcwd(),
                       umask=umask)).encode()
fds = array.array("i", [0, 1, 2])
s.sendmsg([struct.pack("!I", len(body)), body],
          [(socket.SOL_SOCKET, socket.SCM_RIGHTS, fds.tobytes())])
got = b""
while len(got) < 4:
    chunk = s.recv(4 - len(got))
    if not chunk:
        sys.stderr.write("techdept (test server): the command died without an exit code\n")
        sys.exit(70)
    got += chunk
sys.exit(struct.unpack("!i", got)[0])
"""

# Imported once, before any fork: libraries, and techdept's layers that speak no language.
PRELOAD = ("sqlalchemy", "sqlmodel", "alembic", "docx", "openpyxl", "rich", "tabulate", "typer")
PACKAGES = ("techdept.ledger", "techdept.services", "techdept.rules", "techdept.documents")
PACKAGES += ("techdept.forms",)


def preload() -> None:
    for name in PRELOAD:
        importlib.import_module(name)
    for package in PACKAGES:
        root = importlib.import_module(package)
        for info in pkgutil.walk_packages(root.__path__, package + "."):
            if ".migrations" not in info.name:
                importlib.import_module(info.name)
    import techdept.i18n

    loaded = [m for m in sys.modules if m == "techdept.cli" or m.startswith("techdept.commands")]
    assert not loaded, f"the server must not load the command line: {loaded}"
    assert techdept.i18n._current is None, "a module chose a language at import"
    assert threading.active_count() == 1, "a module started a thread at import"


def receive(conn: socket.socket) -> tuple[dict, list[int]]:
    fds = array.array("i")
    data, ancillary, _, _ = conn.recvmsg(1 << 20, socket.CMSG_SPACE(3 * fds.itemsize))
    for level, kind, payload in ancillary:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds.frombytes(payload[: len(payload) - len(payload) % fds.itemsize])
    (size,) = struct.unpack("!I", data[:4])
    body = data[4:]
    while len(body) < size:
        body += conn.recv(size - len(body))
    return json.loads(body), list(fds)


def run(conn: socket.socket) -> None:
    """In the forked child: become the command's process, run it, report its exit code."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # a command's own subprocesses are waited
    signal.signal(signal.SIGINT, signal.default_int_handler)
    request, fds = receive(conn)
    for target, fd in zip((0, 1, 2), fds, strict=True):
        os.dup2(fd, target)
        os.close(fd)
    os.environ.clear()
    os.environ.update(request["env"])
    os.chdir(request["cwd"])
    os.umask(request["umask"])
    sys.argv = ["techdept", *request["argv"]]
    code = 0
    try:
        from techdept.cli import main

        main()
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            code = exc.code or 0
        else:
            print(exc.code, file=sys.stderr)
            code = 1
    except BaseException:
        import traceback

        traceback.print_exc()
        code = 1
    import atexit

    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    conn.sendall(struct.pack("!i", code))
    os._exit(0)


def serve(path: str, bin_dir: str) -> None:
    preload()
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(16)
    client = Path(bin_dir) / "techdept"
    client.write_text(CLIENT.format(python=sys.executable, socket=path))
    client.chmod(0o755)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the kernel
    print("ready", flush=True)
    while True:
        conn, _ = server.accept()
        if os.fork() == 0:
            server.close()
            try:
                run(conn)
            finally:
                os._exit(70)
        conn.close()


if __name__ == "__main__":
    serve(sys.argv[1], sys.argv[2])

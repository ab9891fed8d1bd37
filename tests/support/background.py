"""Long checks that run as subprocesses (the fault script, the benchmarks' smoke runs) are started as soon as the
suite knows it will need them (tests/conftest.py), so they run beside the other tests instead of after them; the
tests that read their results wait for them then.

`make test` runs the suite on several workers (pytest-xdist): these runs start once, in the first worker (gw0, or
the only process without xdist). Each run keeps its output (`<name>.log`), its start (`<name>.started`) and, once
it ends, its exit code (`<name>.exit`) in a folder every worker of the session shares, so a test on any worker
waits for the exit code there. The worker that started the runs waits for them at its end (another worker may still
be reading them), unless the session was interrupted: a run still going then is stopped."""
import json
import os
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

INTERRUPTED = pytest.StashKey[bool]()
BENCH_RUNS = pytest.StashKey[dict]()  # the smoke runs this process started (tests/bench/test_bench_smoke.py)
_processes: dict[Path, subprocess.Popen] = {}  # the runs this process started, by their log file


def starts_runs() -> bool:
    """Whether this process starts the session's background runs: the first worker, or pytest without workers."""
    return os.environ.get("PYTEST_XDIST_WORKER", "gw0") == "gw0"


def shared_folder(config) -> Path:
    """The folder every worker of this session sees (its temporary folder's parent under xdist)."""
    base = config._tmp_path_factory.getbasetemp()
    folder = (base.parent if "PYTEST_XDIST_WORKER" in os.environ else base) / "background"
    folder.mkdir(exist_ok=True)
    return folder


@dataclass
class Run:
    """One subprocess, seen through its files in the shared folder (from whichever worker reads it)."""

    name: str
    folder: Path

    def _path(self, suffix: str) -> Path:
        return self.folder / f"{self.name}.{suffix}"

    def _wait_for(self, path: Path, deadline: float) -> bool:
        while not path.exists():
            if time.time() >= deadline:
                return False
            time.sleep(0.2)
        return True

    def result(self, timeout_s: float) -> tuple[int | str, str]:
        """Exit code (or why there is none) and output, waiting at most timeout_s from the run's start."""
        started = self._path("started")
        if not self._wait_for(started, time.time() + timeout_s):
            return f"not started within {timeout_s} s", ""
        deadline = json.loads(started.read_text())["at"] + timeout_s
        if self._wait_for(self._path("exit"), deadline):
            code: int | str = int(self._path("exit").read_text())
        else:
            code = f"killed after {timeout_s} s" if self._kill() else f"not finished after {timeout_s} s"
        return code, self._path("log").read_text(errors="replace")

    def _kill(self) -> bool:
        process = _processes.get(self._path("log"))
        if process is None:
            return False
        process.kill()
        process.wait()
        return True

    def stop(self) -> None:
        """Interrupt a run this process started and that is still going (as Ctrl-C would: its own clean-up stops the
        servers and clusters it started), killed if it has not ended 30 s later."""
        process = _processes.get(self._path("log"))
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def start(name: str, command: list[str], *, cwd: Path, env: dict, folder: Path) -> Run:
    run = Run(name=name, folder=folder)
    with run._path("log").open("w") as log:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
    _processes[run._path("log")] = process
    run._path("started").write_text(json.dumps({"at": time.time(), "pid": process.pid}))

    def record_exit():
        code = process.wait()
        written = run._path("exit.part")
        written.write_text(str(code))
        written.rename(run._path("exit"))  # whole or not at all, for a reader in another process

    threading.Thread(target=record_exit, name=f"wait-{name}", daemon=True).start()
    return run


def finish(config, runs: list[Run], timeout_s: float) -> None:
    """At the end of the session of the process that started `runs`: wait for them while another worker may still
    read them (not when the session was interrupted), then stop what still runs."""
    if "PYTEST_XDIST_WORKER" in os.environ and not config.stash.get(INTERRUPTED, False):
        for run in runs:
            run.result(timeout_s)
    for run in runs:
        run.stop()

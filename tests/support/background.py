"""Long checks that run as subprocesses (the fault script, the benchmarks' smoke runs) are started as soon as the
suite knows it will need them (tests/conftest.py), so they run beside the other tests instead of after them; the
tests that read their results wait for them then. A run that is still going when the session ends is killed."""
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import pytest

# Where tests/conftest.py keeps what it started: the fault run (a Run and its results file); the smoke runs by name.
FAULT_RUN = pytest.StashKey[tuple]()
BENCH_RUNS = pytest.StashKey[dict]()


@dataclass
class Run:
    """One subprocess with its output in a log file."""

    process: subprocess.Popen
    log: IO
    started: float = field(default_factory=time.monotonic)
    _result: tuple | None = None

    def result(self, timeout_s: float) -> tuple[int | str, str]:
        """Exit code (or why it was killed) and output, waiting at most timeout_s from the start."""
        if self._result is None:
            try:
                code = self.process.wait(timeout=max(1, timeout_s - (time.monotonic() - self.started)))
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                code = f"killed after {timeout_s} s"
            self.log.seek(0)
            self._result = (code, self.log.read())
            self.log.close()
        return self._result

    def stop(self) -> None:
        """Interrupt a run still going (as Ctrl-C would: its own clean-up stops the servers and clusters it started),
        killed if it has not ended 30 s later."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if not self.log.closed:
            self.log.close()


def start(command: list[str], *, cwd: Path, env: dict, log_path: Path) -> Run:
    log = open(log_path, "w+")
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
    return Run(process=process, log=log)

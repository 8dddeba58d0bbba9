"""One bot process per database: a second one would send every delivery again.

An advisory lock (`flock`) on `<database>.lock`, held while the process runs. The operating
system releases it when the process ends, however it ends, so a crash never leaves a stale
lock behind to clear by hand.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path


class AlreadyRunning(Exception):
    """Another process holds the database; the message says which and what to do."""


class InstanceLock:
    def __init__(self, database_path: Path | str) -> None:
        self.path = Path(f"{database_path}.lock")
        self._fd: int | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode(errors="replace").strip() or "unknown"
            os.close(fd)
            raise AlreadyRunning(
                f"another bot process (pid {holder}) is already running on {str(self.path)[:-5]}; "
                "stop it first, or point DATABASE_PATH at another database"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

"""What the worker processes of one server share (`healthfm serve --workers N`): a private folder made by
the parent, holding the version being served, the rate-limit buckets and the Prometheus sample files.

- The served version is a small JSON file replaced atomically; `POST /v1/models/{name}/activate` writes
  it after its own worker has swapped, and every worker polls it (one `stat` a second) and swaps too.
- Rate limits are token buckets in a memory-mapped table of fixed size, updated under an exclusive
  `flock`, so a credential's limit holds across workers (not N times over).
- Metrics use prometheus_client's multiprocess mode (PROMETHEUS_MULTIPROC_DIR, set by the parent before
  any worker starts).

With one worker the folder still exists (made by `create_app` when none is given), so one code path
serves both cases.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import mmap
import os
import struct
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

SERVING_FILE = "serving.json"
BUCKETS_FILE = "ratelimit.bin"
METRICS_DIR = "metrics"
_SLOT = struct.Struct("<Qdd")  # actor hash (0: free), tokens, last refill (CLOCK_MONOTONIC, system-wide)
_SLOTS = 8192


def make_shared_dir() -> Path:
    """A new private folder (mode 0700) for one server's workers."""
    path = Path(tempfile.mkdtemp(prefix="healthfm-serve-"))
    (path / METRICS_DIR).mkdir(mode=0o700)
    return path


class ServingVersion:
    """The version every worker should serve: written by the worker that activated it."""

    def __init__(self, folder: Path) -> None:
        self.path = Path(folder) / SERVING_FILE
        self._seen: tuple[int, int] | None = None

    def write(self, name: str, version: int) -> None:
        tmp = self.path.with_name(f".{SERVING_FILE}.{os.getpid()}")
        tmp.write_text(json.dumps({"name": name, "version": int(version)}))
        tmp.replace(self.path)

    def changed(self) -> tuple[str, int] | None:
        """(name, version) when the file changed since the last call (or on the first), else None."""
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return None
        stamp = (st.st_ino, st.st_mtime_ns)
        if stamp == self._seen:
            return None
        try:
            data = json.loads(self.path.read_text())
            found = (str(data["name"]), int(data["version"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None  # mid-replace or damaged: try again at the next poll
        self._seen = stamp
        return found


class SharedRateLimiter:
    """A token bucket per credential (`rate` per second, up to `burst`), shared by every process that
    opens the same file. Up to 8,192 credentials are tracked at once; beyond that the least recently
    seen one's bucket is reset to full (a fresh credential always starts full anyway)."""

    def __init__(self, path: Path, per_minute: float, burst: int) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self.path = Path(path)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            size = _SLOT.size * _SLOTS
            if os.fstat(fd).st_size < size:
                with _flock(fd):
                    if os.fstat(fd).st_size < size:
                        os.ftruncate(fd, size)
            self._map = mmap.mmap(fd, size)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        self._lock = threading.Lock()  # flock is per process: threads of one process queue here first

    def take(self, who: str) -> float:
        """0 when allowed, else the seconds until a request would be."""
        key = int.from_bytes(hashlib.blake2b(who.encode(), digest_size=8).digest(), "little") or 1
        start = key % _SLOTS
        now = time.monotonic()
        with self._lock, _flock(self._fd):
            slot, oldest, oldest_at = -1, start, float("inf")
            for probe in range(_SLOTS):
                i = (start + probe) % _SLOTS
                owner, tokens, last = _SLOT.unpack_from(self._map, i * _SLOT.size)
                if owner == key:
                    slot = i
                    break
                if owner == 0:
                    slot, tokens, last = i, self.burst, now
                    break
                if last < oldest_at:
                    oldest, oldest_at = i, last
            else:
                slot, tokens, last = oldest, self.burst, now
            tokens = min(self.burst, tokens + max(0.0, now - last) * self.rate)
            wait = 0.0
            if tokens >= 1.0:
                tokens -= 1.0
            else:
                wait = (1.0 - tokens) / self.rate
            _SLOT.pack_into(self._map, slot * _SLOT.size, key, tokens, now)
        return wait

    def close(self) -> None:
        with contextlib.suppress(ValueError, OSError):
            self._map.close()
        with contextlib.suppress(OSError):
            os.close(self._fd)


@contextlib.contextmanager
def _flock(fd: int) -> Iterator[None]:
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)

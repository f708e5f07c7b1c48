"""Progress of a long command on standard error: a live line on a terminal, a summary line
otherwise (a leaf module)."""

from __future__ import annotations

import time
from typing import TextIO

REFRESH_SECONDS = 0.1
"""The live line is redrawn at most this often."""


def _duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


class Progress:
    """Counts items (runs) read from an input of ``total_bytes`` bytes (None: unknown size).

    On a terminal, :meth:`update` redraws ``N runs, R runs/s[, P%, ETA m:ss]`` in place;
    :meth:`finish` ends with the summary line, which is all that is written elsewhere.
    """

    def __init__(self, stream: TextIO, total_bytes: int | None, *, unit: str = "runs") -> None:
        self.stream, self.total_bytes, self.unit = stream, total_bytes, unit
        self.live = stream.isatty()
        self.started = time.monotonic()
        self.drawn_at = -REFRESH_SECONDS
        self.width = 0

    def rate(self, done: int, now: float) -> float:
        """Items per second so far."""
        elapsed = now - self.started
        return done / elapsed if elapsed > 0 else 0.0

    def line(self, done: int, bytes_done: int, now: float) -> str:
        """The live line: items done, items/s and, when the input's size is known, ETA."""
        text = f"{done:,} {self.unit}, {self.rate(done, now):,.0f} {self.unit}/s"
        total = self.total_bytes
        if total and bytes_done:
            share = min(bytes_done / total, 1.0)
            remaining = (now - self.started) * (1 - share) / share
            text += f", {share:.0%}, ETA {_duration(remaining)}"
        return text

    def update(self, done: int, bytes_done: int) -> None:
        """Report ``done`` items after ``bytes_done`` bytes of input (redrawn on a terminal)."""
        now = time.monotonic()
        if not self.live or now - self.drawn_at < REFRESH_SECONDS:
            return
        self.drawn_at = now
        self._draw(self.line(done, bytes_done, now))

    def _draw(self, text: str) -> None:
        pad = " " * max(0, self.width - len(text))
        self.width = len(text)
        self.stream.write(f"\r{text}{pad}")
        self.stream.flush()

    def interrupt(self) -> None:
        """End a live line that was drawn, so that what follows starts on a line of its own."""
        if self.live and self.width:
            self.stream.write("\n")
            self.stream.flush()
            self.width = 0

    def finish(self, summary: str) -> None:
        """End with ``summary`` on a line of its own (replacing the live line)."""
        if self.live:
            self._draw(summary)
            self.stream.write("\n")
        else:
            self.stream.write(summary + "\n")
        self.stream.flush()

    def summary_suffix(self, done: int) -> str:
        """`` in S s (R runs/s)``: the elapsed time and mean rate."""
        now = time.monotonic()
        return f" in {now - self.started:.1f} s ({self.rate(done, now):,.0f} {self.unit}/s)"

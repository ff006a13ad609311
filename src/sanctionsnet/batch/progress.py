"""The progress bar of a screening run: rows done, rows per second, time left (on stderr).

It is drawn only on a terminal: piped or redirected runs (cron jobs, CI logs) get the
closing summary alone.
"""

from __future__ import annotations

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text


class RateColumn(ProgressColumn):
    """Rows per second over rich's recent window."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("" if speed is None else f"{speed:,.0f} rows/s", style="progress.data.speed")


class RichProgress:
    """`runner.ProgressSink` drawn with rich."""

    def __init__(self, console: Console, enabled: bool = True) -> None:
        self.progress = Progress(
            TextColumn("screening"),
            BarColumn(),
            MofNCompleteColumn(),
            RateColumn(),
            TimeElapsedColumn(),
            TextColumn("left"),
            TimeRemainingColumn(),
            console=console,
            disable=not enabled,
            transient=False,
            # The rate over the last half minute: steady, yet it follows a slowdown.
            speed_estimate_period=30.0,
        )
        self.task: TaskID | None = None

    def start(self, total: int | None, done: int) -> None:
        self.progress.start()
        self.task = self.progress.add_task("screen", total=total, completed=done)

    def advance(self, rows: int) -> None:
        if self.task is not None:
            self.progress.advance(self.task, rows)

    def stop(self) -> None:
        if self.task is not None:
            task = self.progress.tasks[0]
            self.progress.update(self.task, total=task.completed)
        self.progress.stop()

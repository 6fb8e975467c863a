"""A rich progress bar for the training loop: one bar per epoch with loss and samples/s."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Self

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from healthfm.train.loop import EpochRecord


class RichTrainProgress:
    def __init__(
        self, console: Console, epochs: int, monitor: str, show: Callable[[str], bool] | None = None
    ) -> None:
        """`show(name)` picks the tuning metrics printed after each epoch (default: all but counts)."""
        self.console = console
        self.show = show or (lambda name: name != "n")
        self.epochs = epochs
        self.monitor = monitor
        self.bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("loss {task.fields[loss]:.4f}  {task.fields[rate]:.0f} samples/s"),
            TimeElapsedColumn(),
            console=console,
            disable=not console.is_terminal,
        )
        self.task: TaskID | None = None

    def __enter__(self) -> Self:
        self.bar.__enter__()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.bar.__exit__(exc_type, exc, tb)

    def start(self, epoch: int, total_batches: int) -> None:
        if self.task is not None:
            self.bar.remove_task(self.task)
        self.task = self.bar.add_task(
            f"epoch {epoch + 1}/{self.epochs}", total=total_batches or None, loss=0.0, rate=0.0
        )

    def advance(self, loss: float, samples_per_s: float) -> None:
        if self.task is not None:
            self.bar.update(self.task, advance=1, loss=loss, rate=samples_per_s)

    def end_epoch(self, record: EpochRecord) -> None:
        tuned = ", ".join(f"{k} {v:.4f}" for k, v in record.tuning.items() if self.show(k))
        self.console.print(
            f"epoch {record.epoch + 1}: train loss {record.train_loss:.4f}, "
            f"{record.samples_per_s:.0f} samples/s, {record.seconds:.1f} s; tuning: {tuned}"
        )

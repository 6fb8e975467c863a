"""Built-in tasks (YAML files in `builtin/`, registered in `healthfm.registry.TASKS`) and `load_task`."""

from __future__ import annotations

import os
from pathlib import Path

from healthfm.registry import TASKS
from healthfm.tasks.spec import TaskConfigError
from healthfm.tasks.task import Task

BUILTIN_DIR = Path(__file__).with_name("builtin")
_YAML_SUFFIXES = (".yaml", ".yml")


def builtin_task_files() -> dict[str, Path]:
    """Name → YAML file of every built-in task."""
    return {p.stem: p for p in sorted(BUILTIN_DIR.glob("*.yaml"))}


def register_builtins() -> None:
    """Register every built-in task under its name; a file whose task name differs from it is a bug."""
    for stem, path in builtin_task_files().items():
        task = Task.from_file(path)
        if task.name != stem:
            raise TaskConfigError(f"{path}: name: {task.name!r} differs from the file name {stem!r}")
        TASKS.register(task.name)(task)


def load_task(name_or_path: str | os.PathLike[str]) -> Task:
    """A registered task by name, or a task read from a YAML file."""
    if isinstance(name_or_path, os.PathLike) or str(name_or_path).endswith(_YAML_SUFFIXES):
        return Task.from_file(name_or_path)
    name = str(name_or_path)
    if name in TASKS:
        task = TASKS.get(name)
        if not isinstance(task, Task):
            raise TaskConfigError(f"task {name!r} is registered as a {type(task).__name__}, not a Task")
        return task
    if Path(name).is_file():
        return Task.from_file(name)
    known = ", ".join(TASKS.names()) or "none"
    raise TaskConfigError(f"unknown task {name!r}; registered tasks: {known} (or give a YAML file)")

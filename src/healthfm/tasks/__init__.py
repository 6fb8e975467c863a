"""Tasks: a patient timeline and a prediction time become labelled samples.

Binary, multiclass, multilabel, regression and time-to-event (with censoring) labels, declared in a
small YAML file or in Python; only data before the prediction time reaches a model (`Task.visible`).
"""

from healthfm.tasks._labels import Exclusion
from healthfm.tasks.build import SampleSet, build_samples, label_store, summarize
from healthfm.tasks.load import BUILTIN_DIR, builtin_task_files, load_task, register_builtins
from healthfm.tasks.spec import (
    Aggregate,
    Cohort,
    Label,
    LabelClass,
    Occurrence,
    PredictionTime,
    TaskConfigError,
    TaskKind,
)
from healthfm.tasks.task import Task

__all__ = [
    "BUILTIN_DIR",
    "Aggregate",
    "Cohort",
    "Exclusion",
    "Label",
    "LabelClass",
    "Occurrence",
    "PredictionTime",
    "SampleSet",
    "Task",
    "TaskConfigError",
    "TaskKind",
    "build_samples",
    "builtin_task_files",
    "label_store",
    "load_task",
    "summarize",
]

register_builtins()

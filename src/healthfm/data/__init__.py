"""Fitted processors (vocabulary, value normalisers, tokenizer, image/signal transforms), dataset, collate."""

from __future__ import annotations

from healthfm.data.base import PROCESSORS, Arrays, BlobSource, Processor, StoreLike
from healthfm.data.bundle import (
    DEFAULT_PROCESSORS,
    build_processors,
    default_visible,
    fit_processors,
    load_processors,
    processors_from_state,
    processors_state,
    save_processors,
)
from healthfm.data.dataset import (
    TASK_KINDS,
    BatchCollator,
    Item,
    Problem,
    SampleDataset,
    collate,
    make_loader,
)
from healthfm.data.events import EventsProcessor
from healthfm.data.image import ImageProcessor
from healthfm.data.signal import SignalProcessor
from healthfm.data.tabular import TabularProcessor
from healthfm.data.text import TextProcessor

__all__ = [
    "DEFAULT_PROCESSORS",
    "PROCESSORS",
    "TASK_KINDS",
    "Arrays",
    "BatchCollator",
    "BlobSource",
    "EventsProcessor",
    "ImageProcessor",
    "Item",
    "Problem",
    "Processor",
    "SampleDataset",
    "SignalProcessor",
    "StoreLike",
    "TabularProcessor",
    "TextProcessor",
    "build_processors",
    "collate",
    "default_visible",
    "fit_processors",
    "load_processors",
    "make_loader",
    "processors_from_state",
    "processors_state",
    "save_processors",
]

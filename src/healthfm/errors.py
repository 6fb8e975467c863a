"""Errors a user can act on. The CLI prints their message on one line and exits with `exit_code`."""

from __future__ import annotations


class HealthfmError(Exception):
    """Base of every error healthfm raises on purpose; the message says what is wrong and what to do."""

    exit_code = 1


class UsageError(HealthfmError):
    """Invalid arguments or options."""

    exit_code = 2


class DataError(HealthfmError):
    """Bad input data: names the file, record and field."""

    exit_code = 3


class StoreError(HealthfmError):
    """The patient store is missing, locked, or inconsistent."""

    exit_code = 4


class FetchError(HealthfmError):
    """A dataset could not be fetched or failed its checksum."""

    exit_code = 5

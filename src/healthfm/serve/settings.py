"""`ServeSettings`: everything the API server is configured with, read once by `create_app`."""

from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from healthfm.errors import UsageError

_MODEL_REF = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9_.-]{0,199})(?:@(?P<version>[1-9][0-9]{0,8}))?$")
ENV_PREFIX = "HEALTHFM_SERVE_"
SETTINGS_ENV = "HEALTHFM_SERVE_SETTINGS"  # the settings, as JSON, of the workers of `serve --workers N`


def parse_model_ref(text: str) -> tuple[str, int | None]:
    """`NAME` or `NAME@VERSION` → (name, version or None for the active / latest version)."""
    match = _MODEL_REF.match(text.strip())
    if match is None:
        raise UsageError(f"--model {text!r}: expected NAME or NAME@VERSION (e.g. cardiac_disease@2)")
    version = match.group("version")
    return match.group("name"), None if version is None else int(version)


@dataclass(frozen=True)
class ServeSettings:
    """The server's configuration. Nothing here is read at import time: `from_env` reads the environment
    when asked, and `create_app(settings)` builds everything from it."""

    store: Path
    model: str
    version: int | None = None  # None: the active version, else the latest
    catalog_url: str | None = None  # None: $HEALTHFM_CATALOG_URL, else the store's catalog.sqlite
    pseudonym_key_file: Path | None = None  # the privacy gate's key (FHIR Bundles); None: env
    jwt_secret: str | None = None  # HS256 shared secret for OAuth2 bearer tokens
    jwt_public_key_file: Path | None = None  # RS256 / ES256 public key (PEM)
    jwt_issuer: str | None = None
    jwt_audience: str = "healthfm"
    max_body_bytes: int = 2_000_000
    rate_per_minute: float = 6000.0  # per credential
    rate_burst: int = 200
    request_timeout_s: float = 5.0
    explain_timeout_s: float = 60.0
    review_risk_above: float = 0.8  # calibrated risk at or above which a clinician reviews
    review_margin: float = 0.05  # |risk - threshold| below which the call counts as low confidence
    micro_batching: bool = True
    max_batch: int = 32
    max_wait_ms: float = 2.0
    item_cache: int = 4096  # processed inputs kept per (model, subject, prediction time, store version)
    contributors: str = "occlusion"  # per-modality contributions: "occlusion", "shapley" (exact), "none"
    audit_flush_ms: float = 2.0
    review_dir: Path | None = None  # explanation figures of reviewed cases; None: <store>/review
    drain_timeout_s: float = 30.0
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("max_body_bytes", "max_batch", "rate_burst"):
            if int(getattr(self, name)) < 1:
                raise UsageError(f"{name} must be at least 1")
        for name in ("request_timeout_s", "explain_timeout_s", "rate_per_minute"):
            if float(getattr(self, name)) <= 0:
                raise UsageError(f"{name} must be positive")
        if not 0.0 <= self.review_risk_above <= 1.0 or not 0.0 <= self.review_margin < 0.5:
            raise UsageError("review_risk_above must be in [0, 1] and review_margin in [0, 0.5)")
        if self.contributors not in ("shapley", "occlusion", "none"):
            raise UsageError(f"contributors must be shapley, occlusion or none, got {self.contributors!r}")
        if self.jwt_secret is not None and len(self.jwt_secret) < 32:
            raise UsageError("the JWT secret must be at least 32 characters (256 bits)")

    @property
    def figures_dir(self) -> Path:
        return self.review_dir or Path(self.store) / "review"

    def with_(self, **changes: Any) -> ServeSettings:
        return replace(self, **changes)

    def to_json(self) -> str:
        """For the worker processes of `healthfm serve --workers N` (passed in their environment)."""
        return json.dumps({k: str(v) if isinstance(v, Path) else v for k, v in asdict(self).items()})

    @classmethod
    def from_json(cls, text: str) -> ServeSettings:
        data = json.loads(text)
        paths = {"store", "pseudonym_key_file", "jwt_public_key_file", "review_dir"}
        known = {f.name for f in fields(cls)}
        values: dict[str, Any] = {
            k: Path(v) if k in paths and v is not None else v for k, v in data.items() if k in known
        }
        return cls(**values)

    @classmethod
    def from_env(cls, store: Path, model: str, **overrides: Any) -> ServeSettings:
        """Settings from HEALTHFM_SERVE_* variables (JWT secret, key files, limits), then `overrides`."""
        name, version = parse_model_ref(model)
        env: dict[str, Any] = {}
        text = {
            "jwt_secret": "JWT_SECRET",
            "jwt_issuer": "JWT_ISSUER",
            "jwt_audience": "JWT_AUDIENCE",
            "catalog_url": None,
        }
        for key, var in text.items():
            if var is not None and os.environ.get(ENV_PREFIX + var):
                env[key] = os.environ[ENV_PREFIX + var]
        if os.environ.get(ENV_PREFIX + "JWT_PUBLIC_KEY_FILE"):
            env["jwt_public_key_file"] = Path(os.environ[ENV_PREFIX + "JWT_PUBLIC_KEY_FILE"])
        if os.environ.get("HEALTHFM_PSEUDONYM_KEY_FILE"):
            env["pseudonym_key_file"] = Path(os.environ["HEALTHFM_PSEUDONYM_KEY_FILE"])
        numbers = {
            "max_body_bytes": int,
            "rate_per_minute": float,
            "rate_burst": int,
            "request_timeout_s": float,
            "review_risk_above": float,
            "max_batch": int,
            "max_wait_ms": float,
            "audit_flush_ms": float,
        }
        for key, conv in numbers.items():
            raw = os.environ.get(ENV_PREFIX + key.upper())
            if raw:
                try:
                    env[key] = conv(raw)
                except ValueError:
                    raise UsageError(f"{ENV_PREFIX}{key.upper()}={raw!r} is not a number") from None
        return cls(store=Path(store), model=name, version=version, **{**env, **overrides})

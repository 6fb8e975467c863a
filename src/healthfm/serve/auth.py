"""Who is calling: API keys (only their SHA-256 is in the catalog) or OAuth2 JWT bearer tokens with
SMART-on-FHIR-style scopes, each tied to a site (or `*`, every site). Per-credential rate limits."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from healthfm.errors import UsageError
from healthfm.serve.errors import ApiError
from healthfm.store.catalog import ApiKeyRecord, Catalog

SCOPE_PREDICT = "system/RiskAssessment.write"
SCOPE_READ_PATIENTS = "patient/*.read"
SCOPE_REVIEW = "review"
SCOPE_ADMIN = "admin"  # activate model versions
SCOPE_METRICS = "metrics"
SCOPES = (SCOPE_PREDICT, SCOPE_READ_PATIENTS, SCOPE_REVIEW, SCOPE_ADMIN, SCOPE_METRICS)
ALL_SITES = "*"
KEY_PREFIX = "hfm_"
_KEY_RE = re.compile(r"^hfm_([a-f0-9]{12})_([A-Za-z0-9_-]{43})$")
_SITE_RE = re.compile(r"^(\*|[A-Za-z0-9._-]{1,64})$")
_BEARER = "bearer "


@dataclass(frozen=True)
class Principal:
    """An authenticated caller: `actor` goes into the audit log (a key id or a token subject)."""

    actor: str
    site: str
    scopes: frozenset[str]
    credential: str  # "key" or "jwt"

    def may_read_site(self, site: str) -> bool:
        return self.site == ALL_SITES or (site == self.site and site != "unknown")

    def require(self, scope: str) -> None:
        if scope not in self.scopes:
            raise ApiError(403, f"this credential lacks the scope {scope!r}")


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def check_scopes(scopes: list[str]) -> list[str]:
    unknown = [s for s in scopes if s not in SCOPES]
    if unknown or not scopes:
        raise UsageError(f"unknown scope(s) {unknown}; use some of {list(SCOPES)}")
    return sorted(set(scopes))


def issue_key(
    catalog: Catalog, *, name: str, site: str, scopes: list[str], actor: str
) -> tuple[str, ApiKeyRecord]:
    """A new API key: the secret is returned once and never stored (only its SHA-256)."""
    if not _SITE_RE.match(site):
        raise UsageError(f"--site {site!r}: a site code (letters, digits, . _ -) or '*' for every site")
    key_id = secrets.token_hex(6)
    secret = f"{KEY_PREFIX}{key_id}_{secrets.token_urlsafe(32)}"
    record = catalog.add_api_key(
        key_id, hash_secret(secret), name=name, site=site, scopes=check_scopes(scopes), actor=actor
    )
    return secret, record


class Authenticator:
    def __init__(
        self,
        catalog: Catalog,
        *,
        jwt_secret: str | None,
        jwt_public_key_file: Path | None,
        jwt_issuer: str | None,
        jwt_audience: str,
        key_cache_s: float = 2.0,
    ) -> None:
        self.catalog = catalog
        self.jwt_key: str | None = None
        self.jwt_algorithms: list[str] = []
        if jwt_public_key_file is not None:
            try:
                self.jwt_key = Path(jwt_public_key_file).read_text()
            except OSError as exc:
                raise UsageError(f"cannot read the JWT public key {jwt_public_key_file}: {exc}") from None
            self.jwt_algorithms = ["RS256", "ES256"]
        elif jwt_secret is not None:
            self.jwt_key, self.jwt_algorithms = jwt_secret, ["HS256"]
        self.issuer = jwt_issuer
        self.audience = jwt_audience
        self.key_cache_s = key_cache_s
        self._keys: dict[str, tuple[float, ApiKeyRecord | None]] = {}
        self._lock = threading.Lock()

    def _key_record(self, secret: str) -> ApiKeyRecord | None:
        digest = hash_secret(secret)
        now = time.monotonic()
        with self._lock:
            cached = self._keys.get(digest)
        if cached is not None and now - cached[0] < self.key_cache_s:
            return cached[1]
        record = self.catalog.api_key(digest)
        with self._lock:
            if len(self._keys) > 10_000:
                self._keys.clear()
            self._keys[digest] = (now, record)
        return record

    def authenticate(self, authorization: str | None, api_key: str | None) -> Principal:
        """A Principal, or ApiError 401 (no or bad credentials). Revocation takes effect within
        `key_cache_s` seconds."""
        token = None
        if authorization:
            if not authorization.lower().startswith(_BEARER):
                raise _unauthorised("use 'Authorization: Bearer <token>' or the X-API-Key header")
            token = authorization[len(_BEARER) :].strip()
        secret = api_key or (token if token and token.startswith(KEY_PREFIX) else None)
        if secret is not None:
            return self._from_key(secret)
        if token:
            return self._from_jwt(token)
        raise _unauthorised("credentials required")

    def _from_key(self, secret: str) -> Principal:
        match = _KEY_RE.match(secret)
        record = self._key_record(secret) if match else None
        if record is None or not hmac.compare_digest(record.key_hash, hash_secret(secret)):
            raise _unauthorised("invalid API key")
        if record.revoked_at is not None:
            raise _unauthorised("this API key was revoked")
        return Principal(f"key:{record.key_id}", record.site, frozenset(record.scopes), "key")

    def _from_jwt(self, token: str) -> Principal:
        import jwt

        if self.jwt_key is None:
            raise _unauthorised("bearer tokens are not accepted by this server (no JWT key configured)")
        options = {"require": ["exp", "sub"]}
        try:
            claims = jwt.decode(
                token,
                self.jwt_key,
                algorithms=self.jwt_algorithms,
                audience=self.audience,
                issuer=self.issuer,
                options=options,  # type: ignore[arg-type]
                leeway=5,
            )
        except jwt.PyJWTError as exc:
            raise _unauthorised(f"invalid bearer token: {exc}") from None
        sub, scope, site = claims.get("sub"), claims.get("scope", ""), claims.get("site")
        if not isinstance(sub, str) or not sub or len(sub) > 128:
            raise _unauthorised("invalid bearer token: bad 'sub'")
        if not isinstance(scope, str) or not isinstance(site, str) or not _SITE_RE.match(site):
            raise _unauthorised("invalid bearer token: 'scope' and 'site' claims are required strings")
        scopes = frozenset(s for s in scope.split() if s in SCOPES)
        actor = "jwt:" + re.sub(r"[^A-Za-z0-9@._:-]", "_", sub)
        return Principal(actor, site, scopes, "jwt")


def _unauthorised(message: str) -> ApiError:
    return ApiError(401, message, headers={"WWW-Authenticate": 'Bearer realm="healthfm"'})

"""The audited clinical API: `create_app(settings)` builds a FastAPI app serving one registered model
(FHIR in, FHIR RiskAssessment out), with API keys / OAuth2 scopes, per-site access, rate and size limits,
micro-batching, a human review queue and Prometheus metrics. See docs/serving.md."""

from healthfm.serve.app import create_app
from healthfm.serve.auth import SCOPES, Principal, issue_key
from healthfm.serve.settings import ServeSettings, parse_model_ref

__all__ = ["SCOPES", "Principal", "ServeSettings", "create_app", "issue_key", "parse_model_ref"]

"""Prometheus metrics of one app (its own registry: two apps in one process never share counters)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

LATENCY_BUCKETS = (0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "healthfm_requests_total", "HTTP requests", ["method", "route", "status"], registry=self.registry
        )
        self.latency = Histogram(
            "healthfm_request_latency_seconds",
            "Time to answer a request",
            ["route"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.predictions = Counter(
            "healthfm_predictions_total", "Predictions returned", ["model", "source"], registry=self.registry
        )
        self.batch_size = Histogram(
            "healthfm_batch_size",
            "Requests per forward pass",
            buckets=(1, 2, 4, 8, 16, 32, 64),
            registry=self.registry,
        )
        self.review_pending = Gauge(
            "healthfm_review_queue_length", "Predictions waiting for a clinician", registry=self.registry
        )
        self.predict_queue = Gauge(
            "healthfm_predict_queue_length", "Requests waiting for a micro-batch", registry=self.registry
        )
        self.in_flight = Gauge(
            "healthfm_requests_in_flight", "Requests being answered", registry=self.registry
        )

    def render(self) -> bytes:
        return generate_latest(self.registry)

"""Prometheus metrics of one app (its own registry: two apps in one process never share counters).

With several worker processes (PROMETHEUS_MULTIPROC_DIR set by `healthfm serve --workers N` before they
start) every worker writes its samples there and a scrape, answered by any worker, sums them all."""

from __future__ import annotations

import os

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead

LATENCY_BUCKETS = (0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0)


class Metrics:
    def __init__(self) -> None:
        self.multiprocess = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))
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
            "healthfm_review_queue_length",
            "Predictions waiting for a clinician",
            registry=self.registry,
            multiprocess_mode="mostrecent",  # set from the catalog at each scrape
        )
        self.predict_queue = Gauge(
            "healthfm_predict_queue_length",
            "Requests waiting for a micro-batch",
            registry=self.registry,
            multiprocess_mode="livesum",
        )
        self.in_flight = Gauge(
            "healthfm_requests_in_flight",
            "Requests being answered",
            registry=self.registry,
            multiprocess_mode="livesum",
        )

    def render(self) -> bytes:
        if not self.multiprocess:
            return generate_latest(self.registry)
        every_worker = CollectorRegistry()
        MultiProcessCollector(every_worker)  # type: ignore[no-untyped-call]
        return generate_latest(every_worker)

    def close(self) -> None:
        """At a worker's exit: its live gauges stop counting (multiprocess mode)."""
        if self.multiprocess:
            mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]

"""Prometheus metrics of certificate rendering (served by core.metrics at /metrics)."""

from prometheus_client import Counter, Histogram

RENDERS = Counter(
    "certificate_renders", "Certificate PDFs rendered, by outcome (success, error).", ["outcome"]
)
RENDER_SECONDS = Histogram(
    "certificate_render_duration_seconds",
    "Time to render one certificate PDF.",
    buckets=(0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120),
)

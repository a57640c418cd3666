"""Prometheus metrics of H5P extraction (served by core.metrics at /metrics)."""

from prometheus_client import Counter, Histogram

EXTRACTIONS = Counter(
    "h5p_extractions",
    "H5P packages extracted, by outcome: ready, failed (marked failed, with the reason shown in the admin), "
    "rejected (an upload refused while extracting it in the request) or error (an unexpected exception).",
    ["outcome"],
)
EXTRACTION_SECONDS = Histogram(
    "h5p_extraction_duration_seconds",
    "Time to extract one H5P package into storage.",
    buckets=(0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600),
)

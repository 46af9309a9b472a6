"""Reading Prometheus text exposition as Prometheus does, into figures a test can index."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

Figures = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def parse(text: str) -> Figures:
    """``{(sample name, sorted labels): value}`` for every sample of every family."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def figure(figures: Figures, name: str, **labels: str) -> float:
    return figures[(name, tuple(sorted(labels.items())))]


def sample_names(figures: Figures) -> set[str]:
    return {name for name, _ in figures}

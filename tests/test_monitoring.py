"""The monitoring files beside the deployment: Prometheus scrapes every API and worker where
compose runs them, and the Grafana dashboard queries only metrics the code exports."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import yaml
from prometheus_client import generate_latest

from services.intake.database import get_db as intake_db
from services.intake.metrics import registry_for as intake_registry
from services.notifier.database import get_db as notifier_db
from services.notifier.metrics import registry_for as notifier_registry
from services.workflow.database import get_db as workflow_db
from services.workflow.metrics import registry_for as workflow_registry
from shared.runtime.settings.project import PROJECT_ROOT, SERVICES
from tests.support.prometheus import parse, sample_names

DASHBOARD = PROJECT_ROOT / "deploy" / "grafana" / "pengaduan-dashboard.json"
PROMETHEUS = PROJECT_ROOT / "deploy" / "prometheus" / "prometheus.yml"
COMPOSE = PROJECT_ROOT / "docker-compose.yml"
METRIC_NAME = re.compile(r"\bpengaduan_[a-z0-9_]+")
WORKER_METRICS_PORTS = {"intake": 9101, "notifier": 9102, "workflow": 9103}


@pytest.fixture(scope="module")
def dashboard() -> dict[str, Any]:
    return json.loads(DASHBOARD.read_text())


def queries(dashboard: dict[str, Any]) -> list[str]:
    return [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]


def exported_names() -> set[str]:
    """Every sample name the three services' registries write (the test's Redis is up, so the
    queue depths are there too)."""
    names: set[str] = set()
    for registry in (
        intake_registry(intake_db),
        workflow_registry(workflow_db),
        notifier_registry(notifier_db),
    ):
        names |= sample_names(parse(generate_latest(registry).decode()))
    return names


def test_every_metric_the_dashboard_queries_is_exported(
    configured: dict[str, str], dashboard: dict[str, Any]
) -> None:
    queried = {name for expr in queries(dashboard) for name in METRIC_NAME.findall(expr)}
    assert queried, "the dashboard queries no pengaduan_ metric"
    assert queried - exported_names() == set()


def test_dashboard_shows_queues_backlogs_step_times_breaches_complaints_and_deliveries(
    dashboard: dict[str, Any],
) -> None:
    text = "\n".join(queries(dashboard))
    for needed in (
        "pengaduan_queue_depth",
        "histogram_quantile(0.5, max by (le, step) (increase(pengaduan_workflow_step_duration_",
        "histogram_quantile(0.9, max by (le, step) (increase(pengaduan_workflow_step_duration_",
        "pengaduan_workflow_step_breaches_total",
        "pengaduan_intake_complaints_filed_total",
        "pengaduan_intake_complaints_answered_total",
        "sum by (channel, status) (pengaduan_notifier_deliveries)",
        "max by (role) (pengaduan_workflow_cases_waiting)",
        "max by (role) (pengaduan_workflow_cases_overdue)",
        "max by (role) (pengaduan_workflow_oldest_wait_office_minutes)",
    ):
        assert needed in text
    variables = {v["name"] for v in dashboard["templating"]["list"]}
    assert variables == {"datasource", "window"}
    assert len({panel["id"] for panel in dashboard["panels"]}) == len(dashboard["panels"])


def scrape_targets() -> dict[str, str]:
    """``host:port`` -> metrics path, over every job of the example config."""
    config = yaml.safe_load(PROMETHEUS.read_text())
    return {
        target: job.get("metrics_path", "/metrics")
        for job in config["scrape_configs"]
        for static in job["static_configs"]
        for target in static["targets"]
    }


def test_prometheus_scrapes_both_apis_and_every_worker_on_its_compose_port() -> None:
    services = yaml.safe_load(COMPOSE.read_text())["services"]
    # Every worker service: its service's metrics port, from the module its command runs.
    workers = {
        name: service["command"][service["command"].index("-A") + 1].split(".")[1]
        for name, service in services.items()
        if "worker" in service.get("command", [])
    }
    assert sorted(set(workers.values())) == sorted(SERVICES)
    expected = {"intake-api:8001", "workflow-api:8002"} | {
        f"{name}:{WORKER_METRICS_PORTS[service]}" for name, service in workers.items()
    }
    targets = scrape_targets()
    assert set(targets) == expected
    assert set(targets.values()) == {"/metrics"}
    for name, service in workers.items():
        port = services[name]["environment"][f"PENGADUAN_{service.upper()}_METRICS_PORT"]
        assert int(port) == WORKER_METRICS_PORTS[service]

"""The Kubernetes manifests and docker-compose.yml: valid against their schemas (shipped by PyPI
packages, nothing downloaded), up to date with deploy/k8s/generate.py, running the same role
commands as each other and the roles each service really has."""

import importlib
import importlib.resources
import json
import re
import runpy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate  # type: ignore[import-untyped]
import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
K8S = REPO / "deploy" / "k8s"
# The oldest Kubernetes we promise, and the newest the validator knows.
K8S_VERSIONS = ["1.34", kubernetes_validate.latest_version()]
SETTINGS = {"registration": "RegistrationSettings", "training": "TrainingSettings",
            "monitoring": "MonitoringSettings", "marketplace": "MarketplaceSettings"}
generator: dict[str, Any] = runpy.run_path(str(K8S / "generate.py"))


def _manifests() -> Iterator[tuple[str, dict[str, Any]]]:
    for path in sorted(K8S.rglob("*.yaml")):
        if path.name != "kustomization.yaml":
            for doc in yaml.safe_load_all(path.read_text()):
                yield str(path.relative_to(K8S)), doc


MANIFESTS = list(_manifests())


def _of(kind: str) -> list[dict[str, Any]]:
    return [doc for _, doc in MANIFESTS if doc["kind"] == kind]


def _compose() -> dict[str, Any]:
    return dict(yaml.safe_load((REPO / "docker-compose.yml").read_text()))


@pytest.mark.parametrize("version", K8S_VERSIONS)
def test_every_manifest_is_valid_against_the_kubernetes_schemas(version: str) -> None:
    errors = []
    for name, doc in MANIFESTS:
        try:
            kubernetes_validate.validate(doc, version, strict=True)
        except kubernetes_validate.ValidationError as exc:
            errors.append(f"{name} {doc['kind']}/{doc['metadata']['name']}: "
                          f"{'.'.join(map(str, exc.path))}: {exc.message}")
    assert not errors, "\n".join(errors)


def test_the_manifests_are_what_generate_py_writes() -> None:
    assert generator["main"](["--check"]) == 0, "run .venv/bin/python deploy/k8s/generate.py"


def test_each_kustomization_lists_its_folder() -> None:
    for folder in ("config", "migrate", "roles"):
        listed = yaml.safe_load((K8S / folder / "kustomization.yaml").read_text())["resources"]
        present = sorted(p.name for p in (K8S / folder).glob("*.yaml")
                         if p.name != "kustomization.yaml" and "example" not in p.name)
        assert listed == present


def test_each_role_is_probed_sized_and_scaled() -> None:
    hpas = {h["spec"]["scaleTargetRef"]["name"]: h for h in _of("HorizontalPodAutoscaler")}
    budgets = _of("PodDisruptionBudget")
    for deployment in _of("Deployment"):
        name, spec = deployment["metadata"]["name"], deployment["spec"]
        role = spec["template"]["metadata"]["labels"]["app.kubernetes.io/component"]
        [container] = spec["template"]["spec"]["containers"]
        assert {"cpu", "memory"} <= set(container["resources"]["requests"]), name
        assert {"cpu", "memory"} <= set(container["resources"]["limits"]), name
        if role == "api":
            assert container["livenessProbe"]["httpGet"]["path"] == "/healthz", name
            assert container["readinessProbe"]["httpGet"]["path"] == "/readyz", name
        else:  # consumer, relay, jobs serve no API: their metrics server shows they live
            assert container["livenessProbe"]["httpGet"]["port"] == "metrics", name
            assert "readinessProbe" not in container, name
        if role in ("api", "consumer"):
            assert name in hpas, f"{name} has no HorizontalPodAutoscaler"
        if role == "consumer":  # more consumers than partitions would sit idle
            assert hpas[name]["spec"]["maxReplicas"] <= generator["PARTITIONS"]
        if spec["replicas"] > 1:
            labels = spec["template"]["metadata"]["labels"]
            assert any(b["spec"]["selector"]["matchLabels"].items() <= labels.items()
                       for b in budgets), f"{name} has no PodDisruptionBudget"


def _k8s_commands() -> set[tuple[str, ...]]:
    commands = set()
    for kind in ("Deployment", "Job"):
        for doc in _of(kind):
            for container in doc["spec"]["template"]["spec"]["containers"]:
                commands.add((*container["command"], *container["args"]))
    return commands


def _dockerfile_entrypoint(service: str) -> list[str]:
    text = (REPO / "services" / service / "Dockerfile").read_text()
    match = re.search(r"^ENTRYPOINT\s+(\[.*\])\s*$", text, re.MULTILINE)
    assert match, f"services/{service}/Dockerfile has no exec-form ENTRYPOINT"
    return list(json.loads(match.group(1)))


def _compose_commands() -> set[tuple[str, ...]]:
    commands = set()
    for service in _compose()["services"].values():
        dockerfile = (service.get("build") or {}).get("dockerfile", "")
        if match := re.fullmatch(r"services/(\w+)/Dockerfile", dockerfile):
            command = service["command"].split() if isinstance(service["command"], str) \
                else service["command"]
            commands.add((*_dockerfile_entrypoint(match.group(1)), *command))
    return commands


def test_compose_is_valid_against_the_compose_specification() -> None:
    # The Compose Specification's schema (Apache-2.0), as vendored by check-jsonschema.
    vendor = importlib.resources.files("check_jsonschema.builtin_schemas.vendor")
    schema = json.loads(vendor.joinpath("compose-spec.json").read_text())
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(_compose()),
                    key=lambda e: list(map(str, e.path)))
    assert not errors, "\n".join(f"{'.'.join(map(str, e.path))}: {e.message}" for e in errors)


def test_compose_and_kubernetes_run_the_same_role_commands() -> None:
    assert _compose_commands() == _k8s_commands()


def test_the_roles_are_those_each_service_runs(tmp_path: Path) -> None:
    """A service that gains a consumer or periodic jobs needs them deployed too."""
    for service, (_, roles) in generator["SERVICES"].items():
        settings_cls = getattr(importlib.import_module(f"{service}.config"), SETTINGS[service])
        build = importlib.import_module(f"{service}.bootstrap").build
        runtime = build(settings_cls(database_url=f"sqlite:///{tmp_path / service}.db",
                                     environment="test"))
        try:
            expected = {"relay", *(["consumer"] if runtime.consumer else []),
                        *(["jobs"] if runtime.jobs else [])}
        finally:
            runtime.engine.dispose()
        assert set(roles) == expected, service
        assert {("python", "-m", service, role) for role in ["api", "migrate", *roles]} \
            <= _k8s_commands()

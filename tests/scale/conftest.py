"""A 3-broker KRaft cluster of our own for the scale tests (``deploy/kafka/cluster.sh``).

Started fresh (state reset) once per session on ``KAFKA_CLUSTER_BASE_PORT`` (default 19492:
clients 19492-19494, controllers 19495-19497, away from ``make test``'s 19092/19093 and
``make run``'s 9092), and stopped and removed at the end even when a test fails. The tests
need the cluster itself, not ``KAFKA_BOOTSTRAP_SERVERS``: they kill and restart brokers.
"""

import asyncio
import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aiokafka.admin import AIOKafkaAdminClient  # type: ignore[import-untyped]

from berdaya_shared.testing import wait_until

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "deploy" / "kafka" / "cluster.sh"


@dataclass
class Cluster:
    bootstrap: str
    env: dict[str, str]

    def _run(self, *args: str) -> None:
        subprocess.run([str(SCRIPT), *args], env=self.env, check=True, timeout=300,
                       stdout=subprocess.DEVNULL)

    def kill(self, node: int) -> None:
        """SIGKILL broker ``node`` (1-based; node N serves the N-th bootstrap address)."""
        self._run("kill", str(node))

    def restart(self, node: int) -> None:
        self._run("restart", str(node))

    def partitions(self, topics: list[str]) -> list[dict[str, Any]]:
        """Every partition of ``topics`` as the cluster describes it (leader, replicas, isr)."""
        async def describe() -> list[dict[str, Any]]:
            admin = AIOKafkaAdminClient(bootstrap_servers=self.bootstrap, request_timeout_ms=5000)
            await admin.start()
            try:
                return [p for t in await admin.describe_topics(topics) for p in t["partitions"]]
            finally:
                await admin.close()
        return asyncio.run(describe())

    def topic_config(self, topic: str, key: str) -> str:
        """A topic's configuration value as the brokers report it (e.g. min.insync.replicas)."""
        from aiokafka.admin.config_resource import (  # type: ignore[import-untyped]
            ConfigResource,
            ConfigResourceType,
        )

        async def describe() -> str:
            admin = AIOKafkaAdminClient(bootstrap_servers=self.bootstrap, request_timeout_ms=5000)
            await admin.start()
            try:
                [response] = await admin.describe_configs(
                    [ConfigResource(ConfigResourceType.TOPIC, topic)])
                return next(str(entry[1]) for entry in response.resources[0][4]
                            if entry[0] == key)
            finally:
                await admin.close()
        return asyncio.run(describe())

    def wait_fully_replicated(self, topics: list[str], *, timeout: float = 120) -> None:
        """Until every partition of ``topics`` has all its replicas in sync again."""
        def caught_up() -> bool:
            try:
                parts = self.partitions(topics)
            except Exception:  # noqa: BLE001 - metadata not answered yet: ask again
                return False
            return bool(parts) and all(sorted(p["isr"]) == sorted(p["replicas"]) for p in parts)
        wait_until(caught_up, timeout=timeout, interval=1, what=f"ISR back to full on {topics}")


@pytest.fixture(scope="session")
def kafka_cluster() -> Iterator[Cluster]:
    env = {**os.environ, "KAFKA_CLUSTER_BASE_PORT": os.environ.get("KAFKA_CLUSTER_BASE_PORT", "19492")}
    subprocess.run([str(SCRIPT), "reset"], env=env, check=True, timeout=300)
    try:
        out = subprocess.run([str(SCRIPT), "start"], env=env, check=True, timeout=600,
                             stdout=subprocess.PIPE, text=True).stdout
        bootstrap = next(line.split("=", 1)[1] for line in out.splitlines()
                         if line.startswith("KAFKA_BOOTSTRAP_SERVERS="))
        yield Cluster(bootstrap=bootstrap, env=env)
    finally:
        subprocess.run([str(SCRIPT), "reset"], env=env, check=False, timeout=300)

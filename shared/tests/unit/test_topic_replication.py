"""How ensure_topics replicates the topics it creates: from the cluster's size unless the
environment says otherwise (KAFKA_REPLICATION_FACTOR / KAFKA_MIN_INSYNC_REPLICAS)."""

import pytest

from berdaya_shared.kafka import TopicSettings, replication_for


@pytest.mark.parametrize(("brokers", "expected"), [
    (1, (1, 1)),   # a developer's single broker
    (2, (2, 1)),
    (3, (3, 2)),   # one broker may die and acks=all writes go on
    (5, (3, 2)),
])
def test_replication_follows_the_cluster_size(brokers: int, expected: tuple[int, int]) -> None:
    assert replication_for(brokers, TopicSettings()) == expected


def test_explicit_settings_win(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAFKA_REPLICATION_FACTOR", "5")
    monkeypatch.setenv("KAFKA_MIN_INSYNC_REPLICAS", "3")
    assert replication_for(3, TopicSettings()) == (5, 3)


def test_min_isr_never_exceeds_the_replication_factor() -> None:
    assert replication_for(3, TopicSettings(replication_factor=2, min_insync_replicas=3)) == (2, 2)

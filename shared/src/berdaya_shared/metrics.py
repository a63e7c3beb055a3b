"""Prometheus metrics shared by all services (exposed on each API's ``/metrics``)."""

from prometheus_client import Counter, Gauge, Histogram

HTTP_REQUESTS = Counter("berdaya_http_requests_total", "HTTP requests",
                        ["service", "method", "route", "status"])
HTTP_LATENCY = Histogram("berdaya_http_request_seconds", "HTTP request latency",
                         ["service", "route"])
OUTBOX_PUBLISHED = Counter("berdaya_outbox_published_total", "Outbox rows published", ["service"])
OUTBOX_PENDING = Gauge("berdaya_outbox_pending", "Outbox rows not yet published", ["service"])
EVENTS_CONSUMED = Counter("berdaya_events_consumed_total", "Events handled by a consumer",
                          ["consumer", "type", "outcome"])
EVENTS_DEAD_LETTERED = Counter("berdaya_events_dead_lettered_total",
                               "Events sent to a dead-letter topic", ["consumer", "topic"])
KAFKA_CONNECTED = Gauge("berdaya_kafka_connected",
                        "1 when this process last reached Kafka (a publish, a poll or a metadata "
                        "probe succeeded), 0 when it last failed to", ["service", "role"])

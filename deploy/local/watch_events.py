"""Read Berdaya's topics as an outside consumer would, and check them for NIK/KK.

    .venv/bin/python deploy/local/watch_events.py               # summary of every *.events topic
    .venv/bin/python deploy/local/watch_events.py --print       # one line per event
    KAFKA_BOOTSTRAP_SERVERS=host:9092 ... watch_events.py --topic registration.events

Reads from the beginning without joining a consumer group (it moves no offsets), stops when
the topics are drained, prints the count per event type, and exits 1 if any message holds a
16-digit number (the shape of a NIK or KK, which must never leave registration).
"""

import argparse
import asyncio
import collections
import json
import os
import re
import sys

from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient

SIXTEEN_DIGITS = re.compile(rb"(?<!\d)\d{16}(?!\d)")


async def main(bootstrap: str, topics: list[str], show: bool) -> int:
    if not topics:
        admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
        await admin.start()
        topics = sorted(t for t in await admin.list_topics() if t.endswith(".events"))
        await admin.close()
    consumer = AIOKafkaConsumer(*topics, bootstrap_servers=bootstrap, group_id=None,
                                auto_offset_reset="earliest", enable_auto_commit=False)
    await consumer.start()
    counts: collections.Counter[str] = collections.Counter()
    suspicious = 0
    try:
        while batch := await consumer.getmany(timeout_ms=3000, max_records=5000):
            for messages in batch.values():
                for message in messages:
                    event = json.loads(message.value)
                    counts[event.get("type", "?")] += 1
                    if SIXTEEN_DIGITS.search(message.value):
                        suspicious += 1
                        print(f"16-digit number in {message.topic}@{message.offset} "
                              f"({event.get('type')})", file=sys.stderr)
                    if show:
                        print(f"{event.get('time')} {event.get('type')} subject={event.get('subject')}")
    finally:
        await consumer.stop()
    for event_type, n in sorted(counts.items()):
        print(f"{n:8d}  {event_type}")
    print(f"{sum(counts.values()):8d}  events on {', '.join(topics)}; "
          f"messages with a 16-digit number: {suspicious}")
    return 1 if suspicious else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topic", action="append", default=[])
    parser.add_argument("--print", dest="show", action="store_true")
    args = parser.parse_args()
    bootstrap = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")
    sys.exit(asyncio.run(main(bootstrap, args.topic, args.show)))

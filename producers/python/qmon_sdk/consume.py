"""Reads qmon's topics back and prints one JSON line per record.

    python -m qmon_sdk.consume --topic qgm.shots --key my-run --count 10
    python -m qmon_sdk.consume --topic qgm.dlq --count 5           # dead letters
    python -m qmon_sdk.consume --topic all --timeout 10             # every topic

Every topic of the platform can be read: qgm.runs, qgm.shots, qgm.states, qgm.targets,
qgm.metrics, qgm.alerts, qgm.sweeps, qgm.advice and the dead letters of qgm.dlq. Records are decoded with
confluent-kafka's AvroDeserializer (the writer's schema is fetched from the registry by the id in
each record's Confluent header) and printed as JSON: timestamps as epoch milliseconds, byte fields
as ``{"bytes": length}``. A dead letter is printed as what a user needs to fix the input:
``error_type``, ``reason``, ``run_id``, ``source_topic``/``source_partition``/``source_offset``,
the original ``key`` (as text) and ``value_bytes`` (the embedded input's length). With more than one
topic each line is ``{"topic": ..., "key": ..., "value": ...}``. A record that cannot be decoded
is reported on stderr and skipped.

Connection settings default to ``QMON_BOOTSTRAP_SERVERS`` / ``QMON_SCHEMA_REGISTRY_URL`` and take
the same ``QMON_KAFKA_*`` / ``QMON_SCHEMA_REGISTRY_*`` security settings as the publisher.
``--key`` selects a run's records; on qgm.dlq it matches the dead letter's run id or the refused
input's key. Exits 0 once ``--count`` records (of ``--key``, when given) are printed, 1 if the timeout comes
first; without ``--count`` it prints what arrives until the timeout and exits 0.
"""

import argparse
import json
import os
import sys
import time
import uuid
from typing import Any, Dict, Mapping, Optional

from confluent_kafka import Consumer
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer
from confluent_kafka.serialization import MessageField, SerializationContext

from . import config as env_config
from .publisher import _json_default
from .schemas import TOPIC_SCHEMAS

DLQ = "qgm.dlq"


def dead_letter_view(letter: Mapping[str, Any]) -> Dict[str, Any]:
    """What a user reads in a DeadLetter: why, which run, where from, and how big the input was."""
    key = letter.get("key")
    value = letter.get("value")
    rejected = letter.get("rejected_time")
    return {
        "error_type": letter.get("error_type"),
        "reason": letter.get("reason"),
        "run_id": letter.get("run_id"),
        "source_topic": letter.get("source_topic"),
        "source_partition": letter.get("source_partition"),
        "source_offset": letter.get("source_offset"),
        "key": key.decode("utf-8", errors="replace") if key is not None else None,
        "value_bytes": len(value) if value is not None else None,
        "rejected_time": _json_default(rejected) if rejected is not None else None,
    }


def _dead_letter_of(letter: Mapping[str, Any], record_key: Optional[str], wanted: str) -> bool:
    """Dead letters are matched by their record key, their run id or the refused input's key
    (undecodable input has no run id and is written without a record key)."""
    original = letter.get("key")
    original = original.decode("utf-8", errors="replace") if original is not None else None
    return wanted in (record_key, letter.get("run_id"), original)


def render(topic: str, value: Mapping[str, Any]) -> Mapping[str, Any]:
    """The printed form of one decoded record of ``topic``."""
    return dead_letter_view(value) if topic == DLQ else value


def _topics(requested: str) -> list:
    if requested == "all":
        return sorted(TOPIC_SCHEMAS)
    topics = [t.strip() for t in requested.split(",") if t.strip()]
    unknown = [t for t in topics if t not in TOPIC_SCHEMAS]
    if unknown:
        raise SystemExit(f"consume: unknown topic(s) {unknown}; known: {sorted(TOPIC_SCHEMAS)} or all")
    return topics


def main(argv: Optional[list] = None, environ: Optional[Mapping[str, str]] = None) -> int:
    env = os.environ if environ is None else environ
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--bootstrap-servers",
        default=env.get(env_config.BOOTSTRAP_SERVERS),
        help=f"default: ${env_config.BOOTSTRAP_SERVERS}",
    )
    parser.add_argument(
        "--schema-registry-url",
        default=env.get(env_config.SCHEMA_REGISTRY_URL),
        help=f"default: ${env_config.SCHEMA_REGISTRY_URL}",
    )
    parser.add_argument(
        "--topic", required=True, help="a topic, a comma-separated list, or 'all' (" + ", ".join(sorted(TOPIC_SCHEMAS)) + ")"
    )
    parser.add_argument(
        "--key", help="only records with this key (run id); on qgm.dlq: run id or original key"
    )
    parser.add_argument("--count", type=int, help="stop after this many records")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds (default 60)")
    args = parser.parse_args(argv)
    if not args.bootstrap_servers or not args.schema_registry_url:
        parser.error(
            f"--bootstrap-servers and --schema-registry-url (or ${env_config.BOOTSTRAP_SERVERS} "
            f"and ${env_config.SCHEMA_REGISTRY_URL}) must be set"
        )
    topics = _topics(args.topic)

    registry = {"url": args.schema_registry_url}
    registry.update(env_config.registry_config(env))
    deserialize = AvroDeserializer(SchemaRegistryClient(registry))
    consumer_config = {
        "bootstrap.servers": args.bootstrap_servers,
        "group.id": f"qmon-consume-{uuid.uuid4()}",
        "auto.offset.reset": "earliest",
        "enable.auto.commit": False,
    }
    consumer_config.update(env_config.kafka_config(env))
    consumer = Consumer(consumer_config)
    consumer.subscribe(topics)
    printed = 0
    deadline = time.monotonic() + args.timeout
    try:
        while (args.count is None or printed < args.count) and time.monotonic() < deadline:
            message = consumer.poll(0.2)
            if message is None:
                continue
            if message.error():
                print(f"consume: {message.error()}", file=sys.stderr)
                continue
            key = message.key().decode("utf-8", errors="replace") if message.key() else None
            topic = message.topic()
            if args.key is not None and key != args.key and topic != DLQ:
                continue
            try:
                value = deserialize(message.value(), SerializationContext(topic, MessageField.VALUE))
            except Exception as e:  # one unreadable record must not hide the others
                print(
                    f"consume: {topic}[{message.partition()}]@{message.offset()} "
                    f"({len(message.value() or b'')} bytes) is not readable: {e}",
                    file=sys.stderr,
                )
                continue
            if args.key is not None and topic == DLQ and not _dead_letter_of(value, key, args.key):
                continue
            shown = render(topic, value)
            if len(topics) > 1:
                shown = {"topic": topic, "key": key, "value": shown}
            print(json.dumps(shown, default=_json_default, sort_keys=True), flush=True)
            printed += 1
    finally:
        consumer.close()
    if args.count is not None and printed < args.count:
        print(f"consume: read {printed} of {args.count} records in {args.timeout} s", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

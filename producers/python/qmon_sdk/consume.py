"""Reads qmon events back with confluent-kafka's AvroDeserializer and prints one JSON line each.

    python -m qmon_sdk.consume --bootstrap-servers 127.0.0.1:9092 \\
        --schema-registry-url http://127.0.0.1:8081 --topic qgm.shots --key my-run --count 10

The writer's schema is fetched from the registry by the id in each record's Confluent header.
Exits 0 once ``--count`` records (of ``--key``, when given) are printed, 1 on timeout.
"""

import argparse
import sys
import time
import uuid

from confluent_kafka import Consumer
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer
from confluent_kafka.serialization import MessageField, SerializationContext

from .publisher import describe


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bootstrap-servers", required=True)
    parser.add_argument("--schema-registry-url", required=True)
    parser.add_argument("--topic", required=True)
    parser.add_argument("--key", help="only records with this key (run id)")
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds")
    args = parser.parse_args(argv)

    deserialize = AvroDeserializer(SchemaRegistryClient({"url": args.schema_registry_url}))
    consumer = Consumer(
        {
            "bootstrap.servers": args.bootstrap_servers,
            "group.id": f"qmon-consume-{uuid.uuid4()}",
            "auto.offset.reset": "earliest",
            "enable.auto.commit": False,
        }
    )
    consumer.subscribe([args.topic])
    printed = 0
    deadline = time.monotonic() + args.timeout
    try:
        while printed < args.count and time.monotonic() < deadline:
            message = consumer.poll(0.2)
            if message is None:
                continue
            if message.error():
                print(f"consume: {message.error()}", file=sys.stderr)
                continue
            key = message.key().decode("utf-8") if message.key() else None
            if args.key is not None and key != args.key:
                continue
            value = deserialize(
                message.value(), SerializationContext(args.topic, MessageField.VALUE)
            )
            print(describe(value), flush=True)
            printed += 1
    finally:
        consumer.close()
    if printed < args.count:
        print(f"consume: read {printed} of {args.count} records in {args.timeout} s", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

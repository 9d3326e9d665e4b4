"""The Python publisher: the same events, wire format and run/epoch/finish API as the Java SDK."""

import json
import threading
import time
import uuid
from typing import Any, Callable, Dict, Mapping, Optional, Sequence

from confluent_kafka import KafkaError, KafkaException, Producer
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroSerializer
from confluent_kafka.serialization import MessageField, SerializationContext

from . import schemas, validation
from .errors import InvalidEventError, PublishError
from .qiskit_counts import sparse_counts

RUNS, SHOTS, STATES, TARGETS = "qgm.runs", "qgm.shots", "qgm.states", "qgm.targets"
_RUN_STATUSES = ("SUCCEEDED", "FAILED", "KILLED")

#: qmon's reliable defaults; every key can be overridden through ``kafka_config``.
DEFAULT_KAFKA_CONFIG = {
    "enable.idempotence": True,
    "acks": "all",
    "linger.ms": 5,
    "compression.type": "lz4",
    "max.in.flight.requests.per.connection": 5,
}


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


class QmonPublisher:
    """Publishes run lifecycle, per-epoch shot counts, state snapshots and targets to qmon.

    Events go out in the Confluent wire format (magic byte, schema id, Avro binary) through
    ``confluent_kafka``'s ``AvroSerializer``, keyed by run id, with an idempotent producer and
    ``acks=all``. Sends are asynchronous: the first delivery failure is raised by the next call, by
    ``flush()`` or by ``close()``, and every failure also goes to ``on_failure`` when given.

    ``kafka_config`` is merged over the defaults (security: ``security.protocol``,
    ``sasl.mechanisms``, ``sasl.username``, ``ssl.ca.location`` ...); ``registry_config`` over
    ``{"url": schema_registry_url}`` (``basic.auth.user.info``, ``ssl.ca.location`` ...). The
    local buffer is bounded by ``queue.buffering.max.messages`` / ``queue.buffering.max.kbytes``;
    when it is full a publish call waits up to ``max_block_s`` for room, then raises PublishError.
    """

    def __init__(
        self,
        bootstrap_servers: str,
        schema_registry_url: str,
        producer_id: Optional[str] = None,
        kafka_config: Optional[Mapping[str, Any]] = None,
        registry_config: Optional[Mapping[str, Any]] = None,
        on_failure: Optional[Callable[[PublishError], None]] = None,
        max_block_s: float = 60.0,
    ):
        if not bootstrap_servers:
            raise ValueError("bootstrap_servers must be set")
        if not schema_registry_url and not (registry_config or {}).get("url"):
            raise ValueError("schema_registry_url must be set")
        self.producer_id = producer_id or f"producer-{uuid.uuid4()}"
        self._on_failure = on_failure
        self._max_block_s = max_block_s
        self._first_failure: Optional[PublishError] = None
        self._lock = threading.Lock()
        self.sent = 0
        self.acknowledged = 0
        self.failed = 0
        config = dict(DEFAULT_KAFKA_CONFIG)
        config["bootstrap.servers"] = bootstrap_servers
        config["client.id"] = f"qmon-publisher-{self.producer_id}"
        config.update(kafka_config or {})
        config["error_cb"] = self._on_client_error
        self._producer = Producer(config)
        registry = {"url": schema_registry_url}
        registry.update(registry_config or {})
        self._registry = SchemaRegistryClient(registry)
        self._serializers = {
            topic: AvroSerializer(self._registry, schemas.schema_for_topic(topic))
            for topic in (RUNS, SHOTS, STATES, TARGETS)
        }

    def __enter__(self) -> "QmonPublisher":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def start_run(
        self,
        *,
        experiment: str,
        model_type: str,
        ansatz: str,
        repetitions: int,
        qubits: int,
        shots: int,
        backend: str,
        optimizer: str,
        seed: int,
        target_id: str,
        run_id: Optional[str] = None,
        noise_model: Optional[str] = None,
        optimizer_settings: Optional[Mapping[str, str]] = None,
        config_id: Optional[str] = None,
        repeat_index: int = 0,
        params: Optional[Mapping[str, Any]] = None,
        tags: Optional[Mapping[str, Any]] = None,
    ) -> "RunPublisher":
        """Publishes a RunStarted and returns the handle that publishes the run's epochs."""
        run_id = run_id or str(uuid.uuid4())
        validation.check_run_started(
            run_id,
            qubits,
            shots,
            target_id,
            repeat_index,
            experiment=experiment,
            names={
                "model_type": model_type,
                "ansatz": ansatz,
                "backend": backend,
                "optimizer": optimizer,
                "noise_model": noise_model,
            },
            params=params,
            tags=tags,
            optimizer_settings=optimizer_settings,
            config_id=config_id,
        )
        started = {
            "experiment": experiment,
            "model_type": model_type,
            "ansatz": ansatz,
            "repetitions": int(repetitions),
            "qubits": int(qubits),
            "shots": int(shots),
            "backend": backend,
            "noise_model": noise_model,
            "optimizer": optimizer,
            "optimizer_settings": {k: str(v) for k, v in (optimizer_settings or {}).items()},
            "seed": int(seed),
            "target_id": target_id,
            "config_id": config_id,
            "repeat_index": int(repeat_index),
            "params": {k: str(v) for k, v in (params or {}).items()},
            "tags": {k: str(v) for k, v in (tags or {}).items()},
        }
        run = RunPublisher(self, run_id, started)
        run._lifecycle(("io.qmon.schemas.RunStarted", started))
        return run

    def publish_target(
        self,
        target_id: str,
        qubits: int,
        probabilities: Any,
        description: str,
        low: Optional[float] = None,
        high: Optional[float] = None,
    ) -> None:
        """Publishes a target on the compacted targets topic.

        ``probabilities`` is a dense sequence over all 2^qubits outcomes or a mapping
        outcome -> probability; zero entries are left out.
        """
        if isinstance(probabilities, Mapping):
            pairs = sorted((int(x), float(p)) for x, p in probabilities.items() if p > 0)
        else:
            pairs = [(x, float(p)) for x, p in enumerate(probabilities) if p > 0]
        outcomes = [x for x, _ in pairs]
        values = [p for _, p in pairs]
        validation.check_target(target_id, qubits, outcomes, values, low, high, description)
        self._send(
            TARGETS,
            target_id,
            {
                "target_id": target_id,
                "qubits": int(qubits),
                "description": description,
                "outcomes": outcomes,
                "probabilities": values,
                "low": low,
                "high": high,
                "updated_time": _now_ms(),
            },
        )

    def _send(self, topic: str, key: str, value: Dict[str, Any]) -> None:
        self._raise_if_failed()
        try:
            payload = self._serializers[topic](value, SerializationContext(topic, MessageField.VALUE))
        except Exception as e:
            raise PublishError(f"Framing a {topic} event for key {key} failed: {e}") from e
        deadline = time.monotonic() + self._max_block_s
        while True:
            try:
                self._producer.produce(
                    topic, key=key.encode("utf-8"), value=payload, on_delivery=self._delivered
                )
                break
            except BufferError:
                # The local queue is full: serve delivery reports to make room, up to max_block_s.
                if time.monotonic() >= deadline:
                    raise self._fail(
                        f"Publishing to {topic} for key {key} failed: the local buffer stayed "
                        f"full for {self._max_block_s} s"
                    ) from None
                self._producer.poll(0.05)
            except KafkaException as e:
                raise self._fail(f"Publishing to {topic} for key {key} failed: {e}") from e
        with self._lock:
            self.sent += 1
        self._producer.poll(0)

    def _delivered(self, error: Optional[KafkaError], message: Any) -> None:
        if error is None:
            with self._lock:
                self.acknowledged += 1
            return
        key = message.key().decode("utf-8") if message.key() else None
        self._fail(f"Publishing to {message.topic()} for key {key} failed: {error}")

    def _on_client_error(self, error: KafkaError) -> None:
        # Transient errors (a broker briefly away) are retried by librdkafka; fatal ones are not.
        if error.fatal():
            self._fail(f"The Kafka producer failed fatally: {error}")

    def _fail(self, message: str) -> PublishError:
        failure = PublishError(message)
        with self._lock:
            self.failed += 1
            if self._first_failure is None:
                self._first_failure = failure
        if self._on_failure is not None:
            self._on_failure(failure)
        return failure

    def _raise_if_failed(self) -> None:
        if self._first_failure is not None:
            raise self._first_failure

    def flush(self, timeout: float = 60.0) -> None:
        """Waits until every event is acknowledged, then raises the first failure if any."""
        remaining = self._producer.flush(timeout)
        self._raise_if_failed()
        if remaining:
            raise PublishError(f"{remaining} events were still unacknowledged after {timeout} s")

    def close(self, timeout: float = 60.0) -> None:
        """Flushes; raises the first failure, if any. The producer needs no other cleanup."""
        self.flush(timeout)


class RunPublisher:
    """One run: its start (on creation), one event per epoch, optional snapshots, its end.

    Every event carries the run's next sequence number (0 for the start, shared by all of the
    run's events); a refused event takes none.
    """

    def __init__(self, publisher: QmonPublisher, run_id: str, started: Dict[str, Any]):
        self._publisher = publisher
        self.run_id = run_id
        self.started = started
        self.next_seq = 0
        self.epochs = 0
        self._last_epoch = -1
        self._last_state_epoch = -1
        self._finished = False

    def publish_epoch(
        self,
        epoch: int,
        outcomes: Sequence[int],
        counts: Sequence[int],
        losses: Optional[Mapping[str, float]] = None,
    ) -> None:
        """Publishes one epoch's sparse counts (``counts[i]`` shots gave ``outcomes[i]``)."""
        self._check_open()
        outcomes = [int(x) for x in outcomes]
        counts = [int(c) for c in counts]
        losses = {k: float(v) for k, v in (losses or {}).items()}
        validation.check_epoch(
            epoch,
            self._last_epoch,
            self.started["qubits"],
            self.started["shots"],
            outcomes,
            counts,
            losses,
        )
        self._publisher._send(
            SHOTS,
            self.run_id,
            {
                "run_id": self.run_id,
                "producer_id": self._publisher.producer_id,
                "seq": self.next_seq,
                "epoch": int(epoch),
                "circuit": None,
                "event_time": _now_ms(),
                "qubits": self.started["qubits"],
                "shots": self.started["shots"],
                "outcomes": outcomes,
                "counts": counts,
                "losses": losses,
            },
        )
        self.next_seq += 1
        self._last_epoch = epoch
        self.epochs += 1

    def publish_counts(
        self, epoch: int, counts: Mapping[Any, int], losses: Optional[Mapping[str, float]] = None
    ) -> None:
        """Publishes a Qiskit counts dict (bitstring, hex or int keys; qubit 0 rightmost)."""
        outcomes, values = sparse_counts(counts)
        self.publish_epoch(epoch, outcomes, values, losses)

    def publish_state(self, epoch: int, amplitudes: Sequence[complex]) -> None:
        """Publishes a statevector snapshot (2^qubits complex amplitudes, at most 20 qubits)."""
        self._check_open()
        re = [float(complex(a).real) for a in amplitudes]
        im = [float(complex(a).imag) for a in amplitudes]
        validation.check_state(epoch, self._last_state_epoch, self.started["qubits"], re, im)
        self._publisher._send(
            STATES,
            self.run_id,
            {
                "run_id": self.run_id,
                "producer_id": self._publisher.producer_id,
                "seq": self.next_seq,
                "epoch": int(epoch),
                "event_time": _now_ms(),
                "qubits": self.started["qubits"],
                "amplitudes_re": re,
                "amplitudes_im": im,
            },
        )
        self.next_seq += 1
        self._last_state_epoch = epoch

    def finish(self, status: str = "SUCCEEDED", message: Optional[str] = None) -> None:
        """Publishes the run's end: SUCCEEDED, FAILED or KILLED."""
        self._check_open()
        if status not in _RUN_STATUSES:
            raise InvalidEventError("status", f"{status!r} is not one of {_RUN_STATUSES}")
        validation.check_finish(self.epochs, message)
        self._lifecycle(
            ("io.qmon.schemas.RunFinished", {"status": status, "epochs": self.epochs, "message": message})
        )
        self._finished = True

    def _lifecycle(self, payload: Any) -> None:
        self._publisher._send(
            RUNS,
            self.run_id,
            {
                "run_id": self.run_id,
                "producer_id": self._publisher.producer_id,
                "seq": self.next_seq,
                "event_time": _now_ms(),
                "payload": payload,
            },
        )
        self.next_seq += 1

    def _check_open(self) -> None:
        if self._finished:
            raise RuntimeError(f"run {self.run_id} is finished; nothing more can be sent")


def describe(event: Mapping[str, Any]) -> str:
    """A one-line JSON rendering of a decoded event (datetimes as epoch milliseconds)."""
    return json.dumps(event, default=lambda o: int(o.timestamp() * 1000), sort_keys=True)

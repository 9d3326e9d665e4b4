"""The Python publisher: the same events, wire format and run/epoch/finish API as the Java SDK."""

import json
import logging
import os
import threading
import time
import uuid
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence

from confluent_kafka import KafkaError, KafkaException, Producer
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroSerializer
from confluent_kafka.serialization import MessageField, SerializationContext

from . import config as env_config
from . import reproducibility, schemas, validation
from .advice import START_MARGIN_MS, AdviceReader, AdviceState
from .errors import InvalidEventError, PublishError
from .integrations import OptimizerCallback, amplitudes_of
from .qiskit_counts import QISKIT, counts_of, sparse_counts

RUNS, SHOTS, STATES, TARGETS = "qgm.runs", "qgm.shots", "qgm.states", "qgm.targets"
_RUN_STATUSES = ("SUCCEEDED", "FAILED", "KILLED")
#: Longest failure message a run's context manager puts in its RunFinished.
MAX_FAILURE_MESSAGE = 1000
_LOG = logging.getLogger("qmon_sdk")

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

    Every argument left out is read from the environment (see ``qmon_sdk.config``:
    ``QMON_BOOTSTRAP_SERVERS``, ``QMON_SCHEMA_REGISTRY_URL``, ``QMON_PRODUCER_ID``,
    ``QMON_KAFKA_*``, ``QMON_SCHEMA_REGISTRY_*``), so ``QmonPublisher()`` is enough in a script.
    ``kafka_config`` is merged over the defaults and the environment (security:
    ``security.protocol``, ``sasl.mechanisms``, ``sasl.username``, ``ssl.ca.location`` ...);
    ``registry_config`` over ``{"url": schema_registry_url}`` and the environment
    (``basic.auth.user.info``, ``ssl.ca.location`` ...). The local buffer is bounded by
    ``queue.buffering.max.messages`` / ``queue.buffering.max.kbytes``; when it is full a publish
    call waits up to ``max_block_s`` for room, then raises PublishError.

    ``producer_session`` is random per instance and stamped on every event, so a process that
    restarts with the same ``producer_id`` (its sequence numbers starting again) is not taken for
    a duplicate of its previous life.
    """

    def __init__(
        self,
        bootstrap_servers: Optional[str] = None,
        schema_registry_url: Optional[str] = None,
        producer_id: Optional[str] = None,
        kafka_config: Optional[Mapping[str, Any]] = None,
        registry_config: Optional[Mapping[str, Any]] = None,
        on_failure: Optional[Callable[[PublishError], None]] = None,
        max_block_s: float = 60.0,
        environ: Optional[Mapping[str, str]] = None,
    ):
        env = environ if environ is not None else os.environ
        env_kafka = env_config.kafka_config(env)
        # The job's name for the same setting (QMON_KAFKA_BOOTSTRAP_SERVERS) and the properties
        # file count too, below QMON_BOOTSTRAP_SERVERS, as in the Java SDK.
        bootstrap_servers = (
            bootstrap_servers
            or env.get(env_config.BOOTSTRAP_SERVERS)
            or env_kafka.get("bootstrap.servers")
        )
        schema_registry_url = schema_registry_url or env.get(env_config.SCHEMA_REGISTRY_URL)
        if not bootstrap_servers:
            raise ValueError(
                f"bootstrap_servers must be set (argument or {env_config.BOOTSTRAP_SERVERS})"
            )
        if not schema_registry_url and not (registry_config or {}).get("url"):
            raise ValueError(
                f"schema_registry_url must be set (argument or {env_config.SCHEMA_REGISTRY_URL})"
            )
        self.producer_id = (
            producer_id or env.get(env_config.PRODUCER_ID) or f"producer-{uuid.uuid4()}"
        )
        self.producer_session = str(uuid.uuid4())
        self._capture_environment = reproducibility.capture_enabled(env)
        self._on_failure = on_failure
        self._max_block_s = max_block_s
        self._first_failure: Optional[PublishError] = None
        self._lock = threading.Lock()
        self.sent = 0
        self.acknowledged = 0
        self.failed = 0
        config = dict(DEFAULT_KAFKA_CONFIG)
        config["client.id"] = f"qmon-publisher-{self.producer_id}"
        config.update(env_kafka)
        config["bootstrap.servers"] = bootstrap_servers
        config.update(kafka_config or {})
        config["error_cb"] = self._on_client_error
        self._producer = Producer(config)
        # The advice readers connect as the producer does (security included), minus the
        # producer-only settings.
        self._consumer_config = {
            k: v for k, v in config.items() if k not in DEFAULT_KAFKA_CONFIG and k != "error_cb"
        }
        self._consumer_config["client.id"] = f"qmon-advice-{self.producer_id}"
        registry = {"url": schema_registry_url}
        registry.update(env_config.registry_config(env))
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
        run_id: Optional[str] = None,
        *,
        qubits: int,
        shots: int,
        target: Any = None,
        experiment: str = "default",
        model_type: str = "custom",
        ansatz: str = "unknown",
        repetitions: int = 0,
        backend: str = "unknown",
        optimizer: str = "unknown",
        seed: int = 0,
        target_id: Optional[str] = None,
        noise_model: Optional[str] = None,
        optimizer_settings: Optional[Mapping[str, str]] = None,
        config_id: Optional[str] = None,
        repeat_index: int = 0,
        params: Optional[Mapping[str, Any]] = None,
        tags: Optional[Mapping[str, Any]] = None,
        target_description: Optional[str] = None,
        target_low: Optional[float] = None,
        target_high: Optional[float] = None,
        circuit: Any = None,
        attachments: Optional[Mapping[str, str]] = None,
        capture_environment: Optional[bool] = None,
        max_epochs: Optional[int] = None,
        on_advice: Optional[Callable[[Dict[str, Any]], None]] = None,
    ) -> "RunPublisher":
        """Publishes a RunStarted and returns the handle that publishes the run's epochs.

        A first run needs a run id (random when left out), ``qubits``, ``shots`` and ``target``:
        either the id of a target already on ``qgm.targets``, or the target's probabilities (a
        dense sequence over the 2^qubits outcomes, or ``{outcome: p}``), which are then published
        first under ``target_id`` (default ``"<run_id>-target"``). Use the handle as a context
        manager: it finishes the run SUCCEEDED on a normal exit, FAILED on an exception, KILLED
        on ``KeyboardInterrupt``.

        Unless ``capture_environment=False`` (or ``QMON_CAPTURE_ENV=0``), the run also carries
        what it was made with (``qmon_sdk.reproducibility``): the git commit, dirty flag and
        branch, the script, user, host, Python and library versions as tags, and the installed
        distributions as the attachment ``environment.txt``. ``circuit`` (OpenQASM text, a Qiskit
        ``QuantumCircuit`` or a PennyLane tape) is attached as ``circuit.qasm``; ``attachments``
        adds files of your own (name -> text). Your ``tags`` and ``attachments`` win over captured
        ones of the same name. The MLflow sink writes every attachment as ``run/<name>``.

        ``max_epochs`` declares how many epochs the loop would run (start param ``max_epochs``), so
        advice can say what stopping early saves. ``on_advice(record)`` is called, on a reader
        thread, with every advice record the job publishes for this run (see ``qmon_sdk.advice``);
        ``run.advice()`` and ``run.should_stop()`` read the same records without a callback.
        """
        run_id = run_id or str(uuid.uuid4())
        captured_tags: Dict[str, str] = {}
        files: Dict[str, str] = {}
        if self._capture_environment if capture_environment is None else capture_environment:
            captured_tags, files = reproducibility.capture()
        if circuit is not None:
            files[reproducibility.CIRCUIT_FILE] = reproducibility.circuit_text(circuit)
        files.update({str(k): str(v) for k, v in (attachments or {}).items()})
        tags = {**captured_tags, **{k: str(v) for k, v in (tags or {}).items()}}
        # Checked before the target goes out, so a refused start publishes nothing.
        validation.check_attachments(files)
        if max_epochs is not None:
            if int(max_epochs) < 1:
                raise InvalidEventError("max_epochs", f"must be >= 1, got {max_epochs}")
            params = dict(params or {})
            params["max_epochs"] = int(max_epochs)
        if target is None and target_id is None:
            raise InvalidEventError("target_id", "must be set: pass target= (an id or probabilities)")
        if target is not None and not isinstance(target, str):
            target_id = target_id or f"{run_id}-target"
            validation.check_run_started(run_id, qubits, shots, target_id, repeat_index)
            self.publish_target(
                target_id,
                qubits,
                target,
                target_description or f"published with run {run_id}",
                low=target_low,
                high=target_high,
            )
        elif target is not None:
            target_id = target
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
            attachments=files,
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
            "tags": tags,
            "attachments": files,
        }
        run = RunPublisher(self, run_id, started, on_advice)
        run._lifecycle(("io.qmon.schemas.RunStarted", started))
        if on_advice is not None:
            run._start_advice()
        return run

    def _advice_reader(self, state: AdviceState, since_ms: int) -> AdviceReader:
        return AdviceReader(state, self._consumer_config, self._registry, since_ms)

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
    run's events) and the publisher's ``producer_session``; a refused event takes none.

    As a context manager it ends the run on exit: SUCCEEDED (with the epoch count) on a normal
    exit, KILLED on ``KeyboardInterrupt``/``SystemExit``, FAILED with the exception's type and
    message otherwise (the exception propagates), then flushes the publisher. The run ends once:
    ``finish`` after the end does nothing.
    """

    def __init__(
        self,
        publisher: QmonPublisher,
        run_id: str,
        started: Dict[str, Any],
        on_advice: Optional[Callable[[Dict[str, Any]], None]] = None,
    ):
        self._publisher = publisher
        self.run_id = run_id
        self.started = started
        self._started_ms = _now_ms()
        self._advice = AdviceState(run_id, on_advice)
        self._advice_reader: Optional[AdviceReader] = None
        self.next_seq = 0
        self.epochs = 0
        self._last_epoch = -1
        self._last_state_epoch = -1
        self._finished = False

    def __enter__(self) -> "RunPublisher":
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if exc_type is None:
            self.finish("SUCCEEDED")
            self._publisher.flush()
            return
        status = "KILLED" if issubclass(exc_type, (KeyboardInterrupt, SystemExit)) else "FAILED"
        message = f"{exc_type.__name__}: {exc}"
        if len(message) > MAX_FAILURE_MESSAGE:
            message = message[: MAX_FAILURE_MESSAGE - 1] + "\u2026"
        try:
            self.finish(status, message)
            self._publisher.flush()
        except Exception as e:  # the training loop's exception is the one to propagate
            _LOG.error("run %s: publishing its end (%s) failed: %s", self.run_id, status, e)

    def advice(self) -> List[Dict[str, Any]]:
        """The advice the job published for this run so far, oldest first (starts the reader)."""
        self._start_advice()
        return self._advice.advice()

    def should_stop(self) -> bool:
        """Whether any advice so far says stop (every kind but PLATEAU); starts the reader."""
        self._start_advice()
        return self._advice.should_stop()

    def wait_for_advice(self, timeout: float, kinds: Optional[Sequence[str]] = None) -> bool:
        """Waits up to ``timeout`` s for advice (of one of ``kinds``, when given)."""
        self._start_advice()
        return self._advice.wait_for(
            lambda records: any(kinds is None or r["kind"] in kinds for r in records), timeout
        )

    def _start_advice(self) -> None:
        if self._advice_reader is None and not self._finished:
            self._advice_reader = self._publisher._advice_reader(
                self._advice, self._started_ms - START_MARGIN_MS
            ).start()

    def _close_advice(self) -> None:
        if self._advice_reader is not None:
            reader, self._advice_reader = self._advice_reader, None
            reader.close()

    @property
    def finished(self) -> bool:
        """Whether the run's end was published."""
        return self._finished

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
                "producer_session": self._publisher.producer_session,
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

    def log_epoch(
        self,
        counts: Any,
        losses: Optional[Mapping[str, Any]] = None,
        *,
        epoch: Optional[int] = None,
        bit_order: str = QISKIT,
        register: Optional[str] = None,
    ) -> int:
        """Publishes one epoch from whatever the sampler returned; returns the epoch number.

        ``counts``: a counts dict (Qiskit bitstrings, hex or int keys; PennyLane ``qml.counts``
        with ``bit_order="pennylane"``; numpy integer values are fine), a SamplerV2 PUB result or
        BitArray, or ``(outcomes, counts)``. ``losses``: name -> number (floats, numpy scalars or
        0-d tensors). ``epoch`` defaults to the previous epoch + 1, starting at 1.
        """
        if epoch is None:
            epoch = self._last_epoch + 1 if self._last_epoch >= 0 else 1
        outcomes, values = counts_of(counts, bit_order=bit_order, register=register)
        self.publish_epoch(epoch, outcomes, values, {k: float(v) for k, v in (losses or {}).items()})
        return epoch

    def log_state(self, state: Any, *, epoch: Optional[int] = None, bit_order: str = QISKIT) -> None:
        """Publishes a snapshot from a Qiskit ``Statevector``, a numpy array or a sequence.

        ``epoch`` defaults to the last published epoch. Qiskit orders amplitudes with qubit 0 as
        the least significant index bit, as qmon does; PennyLane's ``qml.state()`` has wire 0 as
        the most significant, so pass ``bit_order="pennylane"`` for it.
        """
        if epoch is None:
            epoch = max(self._last_epoch, 0)
        self.publish_state(epoch, amplitudes_of(state, bit_order))

    def optimizer_callback(
        self,
        sample: Callable[[Any], Any],
        *,
        loss_name: str = "loss",
        every: int = 1,
        bit_order: str = QISKIT,
    ) -> OptimizerCallback:
        """A callback for optimizers that publishes one epoch every ``every`` calls.

        ``sample(params)`` returns the counts at the optimizer's current parameters (anything
        ``log_epoch`` accepts). The callback takes the qiskit-machine-learning / qiskit-algorithms
        optimizer signature ``callback(nfev, params, value, ...)``, the trainable-model signature
        ``callback(weights, objective_value)`` and SciPy's ``callback(xk)`` /
        ``callback(intermediate_result=OptimizeResult)``; ``.scipy`` is the SciPy form.
        """
        return OptimizerCallback(self, sample, loss_name=loss_name, every=every, bit_order=bit_order)

    def publish_state(self, epoch: int, amplitudes: Sequence[complex]) -> None:
        """Publishes a statevector snapshot (2^qubits complex amplitudes, at most 20 qubits)."""
        self._check_open()
        amplitudes = amplitudes_of(amplitudes)
        re = [float(complex(a).real) for a in amplitudes]
        im = [float(complex(a).imag) for a in amplitudes]
        validation.check_state(epoch, self._last_state_epoch, self.started["qubits"], re, im)
        self._publisher._send(
            STATES,
            self.run_id,
            {
                "run_id": self.run_id,
                "producer_id": self._publisher.producer_id,
                "producer_session": self._publisher.producer_session,
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
        """Publishes the run's end: SUCCEEDED, FAILED or KILLED. Does nothing once it has ended."""
        if status not in _RUN_STATUSES:
            raise InvalidEventError("status", f"{status!r} is not one of {_RUN_STATUSES}")
        if self._finished:
            return
        validation.check_finish(self.epochs, message)
        try:
            self._lifecycle(
                ("io.qmon.schemas.RunFinished", {"status": status, "epochs": self.epochs, "message": message})
            )
        finally:
            self._close_advice()
        self._finished = True

    def _lifecycle(self, payload: Any) -> None:
        self._publisher._send(
            RUNS,
            self.run_id,
            {
                "run_id": self.run_id,
                "producer_id": self._publisher.producer_id,
                "producer_session": self._publisher.producer_session,
                "seq": self.next_seq,
                "event_time": _now_ms(),
                "payload": payload,
            },
        )
        self.next_seq += 1

    def _check_open(self) -> None:
        if self._finished:
            raise RuntimeError(f"run {self.run_id} is finished; nothing more can be sent")


def _json_default(value: Any) -> Any:
    if hasattr(value, "timestamp"):
        return int(value.timestamp() * 1000)
    if isinstance(value, (bytes, bytearray)):
        return {"bytes": len(value)}
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def describe(event: Mapping[str, Any]) -> str:
    """A one-line JSON rendering of a decoded event (datetimes as epoch milliseconds, byte
    fields as ``{"bytes": length}``)."""
    return json.dumps(event, default=_json_default, sort_keys=True)

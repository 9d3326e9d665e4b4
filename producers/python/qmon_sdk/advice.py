"""Advice for one run, read back from the job's ``qgm.advice`` topic.

The monitoring job publishes, per run, at most one record of each kind:

- ``CONVERGED_AT_NOISE_FLOOR`` (stop): the median JSD of the last k epochs is within its 99%
  shot-noise floor; nothing is left to learn at this shot count;
- ``PLATEAU`` (stop = False): progress stopped above the floor (capacity or optimizer limit);
- ``BARREN_PLATEAU`` (stop): no progress beyond sampling noise since the start;
- ``DIVERGING`` (stop): JSD above twice its best level plus two floors for 3 epochs;
- ``COLLAPSED`` (stop): mode coverage at most half of its best level for 3 epochs, with the JSD
  worse than its best level by more than one floor in each of them.

Each record carries its evidence (``epoch``, ``since_epoch``, ``values``, ``level``, ``floor``,
``floor_expected``, ``best_level``, ``best_epoch``, and ``epochs_saved``/``shots_saved`` against the
run's declared ``max_epochs``). :class:`AdviceReader` is what ``RunPublisher.advice()``,
``should_stop()`` and the ``on_advice`` callback use: a consumer of ``qgm.advice`` started on
first use, reading from shortly before the run started, keeping the records of its run only, on a
daemon thread; it is closed when the run finishes.
"""

import logging
import threading
from typing import Any, Callable, Dict, List, Mapping, Optional

from confluent_kafka import OFFSET_END, Consumer, KafkaException, TopicPartition
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer
from confluent_kafka.serialization import MessageField, SerializationContext

ADVICE = "qgm.advice"
#: Advice kinds whose ``stop`` is true.
STOP_KINDS = ("CONVERGED_AT_NOISE_FLOOR", "BARREN_PLATEAU", "DIVERGING", "COLLAPSED")
#: How far before the run's start the reader begins, for clocks that disagree a little.
START_MARGIN_MS = 60_000
_LOG = logging.getLogger("qmon_sdk")


class AdviceState:
    """The advice received for one run: kept in order, deduplicated by ``advice_id``.

    Thread-safe; the callback runs on the thread that adds the record. A callback that raises is
    not retried; its exception is raised again by the next :meth:`advice` or :meth:`should_stop`.
    """

    def __init__(self, run_id: str, on_advice: Optional[Callable[[Dict[str, Any]], None]] = None):
        self.run_id = run_id
        self._on_advice = on_advice
        self._records: List[Dict[str, Any]] = []
        self._seen = set()
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)
        self._error: Optional[BaseException] = None

    def accept(self, record: Mapping[str, Any]) -> bool:
        """Adds one decoded Advice record; returns whether it was new and of this run."""
        if record.get("run_id") != self.run_id:
            return False
        with self._lock:
            if record["advice_id"] in self._seen:
                return False
            self._seen.add(record["advice_id"])
            self._records.append(dict(record))
            self._arrived.notify_all()
        if self._on_advice is not None:
            try:
                self._on_advice(dict(record))
            except Exception as e:  # raised to the training loop on its next call, not lost
                _LOG.error("run %s: on_advice raised %r", self.run_id, e)
                with self._lock:
                    if self._error is None:
                        self._error = e
        return True

    def fail(self, error: BaseException) -> None:
        """Records a reader failure, raised by the next :meth:`advice` or :meth:`should_stop`."""
        with self._lock:
            if self._error is None:
                self._error = error
            self._arrived.notify_all()

    def advice(self) -> List[Dict[str, Any]]:
        with self._lock:
            self._raise_if_failed()
            return [dict(r) for r in self._records]

    def should_stop(self) -> bool:
        with self._lock:
            self._raise_if_failed()
            return any(r["stop"] for r in self._records)

    def wait_for(self, predicate: Callable[[List[Dict[str, Any]]], bool], timeout: float) -> bool:
        """Waits until ``predicate(advice)`` holds or ``timeout`` seconds pass."""
        with self._arrived:
            ok = self._arrived.wait_for(
                lambda: self._error is not None or predicate(self._records), timeout
            )
            self._raise_if_failed()
            return ok

    def _raise_if_failed(self) -> None:
        if self._error is not None:
            raise RuntimeError(f"run {self.run_id}: reading advice failed: {self._error}") from self._error


class AdviceReader:
    """Reads ``qgm.advice`` for one run on a daemon thread (see the module's doc)."""

    def __init__(
        self,
        state: AdviceState,
        consumer_config: Mapping[str, Any],
        registry: SchemaRegistryClient,
        since_ms: int,
        poll_s: float = 0.2,
    ):
        self.state = state
        self._deserialize = AvroDeserializer(registry)
        config = dict(consumer_config)
        config.setdefault("group.id", f"qmon-advice-{state.run_id}")
        config["enable.auto.commit"] = False
        self._consumer = Consumer(config)
        self._since_ms = since_ms
        self._poll_s = poll_s
        self._stopping = threading.Event()
        self._thread = threading.Thread(
            target=self._loop, name=f"qmon-advice-{state.run_id}", daemon=True
        )

    def start(self) -> "AdviceReader":
        """Assigns every partition of qgm.advice from ``since_ms`` on and starts reading."""
        metadata = self._consumer.list_topics(ADVICE, timeout=30)
        topic = metadata.topics.get(ADVICE)
        if topic is None or topic.error is not None or not topic.partitions:
            self._consumer.close()
            raise KafkaException(f"topic {ADVICE} is not available: {topic.error if topic else 'missing'}")
        wanted = [TopicPartition(ADVICE, p, self._since_ms) for p in sorted(topic.partitions)]
        offsets = self._consumer.offsets_for_times(wanted, timeout=30)
        # A partition with no record at or after since_ms answers -1: read what arrives from now.
        self._consumer.assign(
            [TopicPartition(ADVICE, o.partition, o.offset if o.offset >= 0 else OFFSET_END) for o in offsets]
        )
        self._thread.start()
        return self

    def _loop(self) -> None:
        try:
            while not self._stopping.is_set():
                message = self._consumer.poll(self._poll_s)
                if message is None:
                    continue
                if message.error():
                    if message.error().fatal():
                        raise KafkaException(message.error())
                    _LOG.warning("run %s: advice reader: %s", self.state.run_id, message.error())
                    continue
                key = message.key().decode("utf-8", errors="replace") if message.key() else None
                if key != self.state.run_id:
                    continue
                value = self._deserialize(message.value(), SerializationContext(ADVICE, MessageField.VALUE))
                self.state.accept(value)
        except Exception as e:  # handed to the training loop's next advice()/should_stop()
            _LOG.error("run %s: advice reader stopped: %r", self.state.run_id, e)
            self.state.fail(e)

    def close(self, timeout: float = 10.0) -> None:
        """Stops the thread and closes the consumer."""
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join(timeout)
        self._consumer.close()

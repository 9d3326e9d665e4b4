"""The advice side of the SDK without a broker: what a run keeps of the records it reads, and when
it starts and closes its reader. The end-to-end path (job -> qgm.advice -> run.should_stop()) is
AdviceLoopIT."""

import io
import json

import fastavro
import pytest

from qmon_sdk import schemas
from qmon_sdk.advice import STOP_KINDS, AdviceState

from test_runs import Captured

_ADVICE = fastavro.parse_schema(json.loads(schemas.schema_for_topic("qgm.advice")))


def advice(run_id, kind, stop, epoch=30):
    record = {
        "advice_id": f"{run_id}/{kind}",
        "run_id": run_id,
        "kind": kind,
        "stop": stop,
        "epoch": epoch,
        "since_epoch": epoch - 9,
        "metric": "jsd",
        "value": 0.003,
        "level": 0.0031,
        "best_level": 0.0031,
        "best_epoch": epoch,
        "floor": 0.0036,
        "floor_expected": 0.0013,
        "values": [0.003] * 10,
        "shots_per_epoch": 1024,
        "max_epochs": 100,
        "epochs_saved": 100 - epoch,
        "shots_saved": (100 - epoch) * 1024,
        "reason": "median within the floor",
        "event_time": 1_700_000_000_000,
        "experiment": "e",
        "config_id": None,
    }
    # The record is what the Avro deserializer hands over: it must fit the shipped schema.
    buffer = io.BytesIO()
    fastavro.schemaless_writer(buffer, _ADVICE, record)
    buffer.seek(0)
    return fastavro.schemaless_reader(buffer, _ADVICE)


def test_a_run_keeps_only_its_own_advice_once_each():
    state = AdviceState("r1")
    assert state.accept(advice("r1", "PLATEAU", False))
    assert not state.accept(advice("r2", "CONVERGED_AT_NOISE_FLOOR", True)), "another run's"
    assert not state.accept(advice("r1", "PLATEAU", False)), "a replayed record"
    assert [a["kind"] for a in state.advice()] == ["PLATEAU"]


def test_should_stop_follows_the_stop_flag_a_plateau_alone_does_not_stop():
    state = AdviceState("r1")
    state.accept(advice("r1", "PLATEAU", False))
    assert not state.should_stop()
    state.accept(advice("r1", "CONVERGED_AT_NOISE_FLOOR", True, epoch=40))
    assert state.should_stop()
    assert state.advice()[1]["epochs_saved"] == 60
    assert set(STOP_KINDS) == {"CONVERGED_AT_NOISE_FLOOR", "BARREN_PLATEAU", "DIVERGING", "COLLAPSED"}


def test_the_callback_sees_each_record_once_and_its_failure_reaches_the_training_loop():
    seen = []

    def on_advice(record):
        seen.append(record["kind"])
        if record["kind"] == "DIVERGING":
            raise ValueError("checkpoint disk full")

    state = AdviceState("r1", on_advice)
    state.accept(advice("r1", "PLATEAU", False))
    state.accept(advice("r1", "PLATEAU", False))
    assert seen == ["PLATEAU"]
    state.accept(advice("r1", "DIVERGING", True))
    with pytest.raises(RuntimeError, match="checkpoint disk full"):
        state.should_stop()


def test_wait_for_returns_once_the_wanted_kind_is_there():
    state = AdviceState("r1")
    assert not state.wait_for(lambda records: bool(records), timeout=0.05)
    state.accept(advice("r1", "BARREN_PLATEAU", True))
    assert state.wait_for(lambda records: records[0]["kind"] == "BARREN_PLATEAU", timeout=0.05)


class Reader:
    """Stands in for the Kafka reader in these unit tests only; records when it runs."""

    def __init__(self, log, state):
        self.log, self.state = log, state

    def start(self):
        self.log.append("start")
        return self

    def close(self):
        self.log.append("close")


class WithReaders(Captured):
    def __init__(self):
        super().__init__()
        self.readers = []

    def _advice_reader(self, state, since_ms):
        assert since_ms < state_started_bound()
        return Reader(self.readers, state)


def state_started_bound():
    import time

    return int(time.time() * 1000)


def test_the_reader_starts_on_first_use_and_closes_with_the_run():
    qmon = WithReaders()
    with qmon.start_run("r1", qubits=2, shots=10, target="normal-q2", max_epochs=50) as run:
        run.log_epoch({"00": 6, "11": 4})
        assert qmon.readers == [], "nothing is read until the loop asks"
        assert not run.should_stop()
        run.advice()
        assert qmon.readers == ["start"], "one reader per run"
    assert qmon.readers == ["start", "close"]
    started = qmon.on("qgm.runs")[0]["payload"][1]
    assert started["params"]["max_epochs"] == "50"


def test_a_callback_starts_the_reader_with_the_run():
    qmon = WithReaders()
    run = qmon.start_run("r1", qubits=2, shots=10, target="normal-q2", on_advice=lambda a: None)
    assert qmon.readers == ["start"]
    run.finish()
    assert qmon.readers == ["start", "close"]

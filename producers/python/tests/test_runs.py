"""Runs without a broker: every event a run publishes is captured as the Avro record it would be
(checked against the schema with fastavro) instead of being handed to Kafka."""

import io

import fastavro
import numpy as np
import pytest
from scipy.optimize import minimize

from qmon_sdk import InvalidEventError, QmonPublisher, schemas
from qmon_sdk.publisher import RUNS, SHOTS, STATES, TARGETS

_PARSED = {t: fastavro.parse_schema(__import__("json").loads(schemas.schema_for_topic(t))) for t in (RUNS, SHOTS, STATES, TARGETS)}


class Captured(QmonPublisher):
    """A real publisher whose sends are written with fastavro into a list."""

    def __init__(self, **kwargs):
        super().__init__("127.0.0.1:1", "http://127.0.0.1:1", **kwargs)
        self.events = []
        self.flushes = 0

    def _send(self, topic, key, value):
        fastavro.schemaless_writer(io.BytesIO(), _PARSED[topic], value)  # raises if off-schema
        self.events.append((topic, key, value))

    def flush(self, timeout=60.0):
        self.flushes += 1

    def on(self, topic):
        return [v for t, _, v in self.events if t == topic]

    def finished(self):
        return [v["payload"][1] for v in self.on(RUNS) if v["payload"][0].endswith("RunFinished")]


def test_a_first_run_needs_only_an_id_qubits_shots_and_a_target():
    qmon = Captured()
    with qmon.start_run("r1", qubits=2, shots=10, target="normal-q2") as run:
        run.log_epoch({"00": 6, "11": 4})
    started = qmon.on(RUNS)[0]["payload"][1]
    assert started["experiment"] == "default"
    assert started["model_type"] == "custom"
    assert started["ansatz"] == started["backend"] == started["optimizer"] == "unknown"
    assert (started["seed"], started["repetitions"], started["repeat_index"]) == (0, 0, 0)
    assert started["target_id"] == "normal-q2"
    assert qmon.finished() == [{"status": "SUCCEEDED", "epochs": 1, "message": None}]
    assert qmon.flushes == 1


def test_a_target_given_as_probabilities_is_published_before_the_run():
    qmon = Captured()
    run = qmon.start_run("r2", qubits=2, shots=10, target=[0.5, 0, 0, 0.5])
    assert [t for t, _, _ in qmon.events] == [TARGETS, RUNS]
    target = qmon.on(TARGETS)[0]
    assert (target["target_id"], target["outcomes"], target["probabilities"]) == ("r2-target", [0, 3], [0.5, 0.5])
    assert run.started["target_id"] == "r2-target"


def test_every_event_carries_the_publisher_session_and_a_restart_gets_a_new_one():
    first = Captured(producer_id="worker-1")
    with first.start_run("r3", qubits=2, shots=10, target="t") as run:
        run.log_epoch({"01": 10})
        run.log_state(np.array([0, 1, 0, 0], dtype=complex))
    restarted = Captured(producer_id="worker-1")
    with restarted.start_run("r3", qubits=2, shots=10, target="t") as run:
        run.log_epoch({"01": 10})
    sessions = [v["producer_session"] for _, _, v in first.events]
    assert len(sessions) == 4 and set(sessions) == {first.producer_session}
    assert {v["producer_session"] for _, _, v in restarted.events} == {restarted.producer_session}
    assert first.producer_session != restarted.producer_session
    assert [v["seq"] for _, _, v in restarted.events] == [0, 1, 2], "sequence starts again"


def test_an_exception_fails_the_run_and_propagates():
    qmon = Captured()
    with pytest.raises(ZeroDivisionError):
        with qmon.start_run("r4", qubits=1, shots=4, target="t") as run:
            run.log_epoch({"0": 4})
            run.log_epoch({"1": 4})
            1 / 0
    assert qmon.finished() == [{"status": "FAILED", "epochs": 2, "message": "ZeroDivisionError: division by zero"}]


def test_a_keyboard_interrupt_kills_the_run():
    qmon = Captured()
    with pytest.raises(KeyboardInterrupt):
        with qmon.start_run("r5", qubits=1, shots=4, target="t"):
            raise KeyboardInterrupt()
    assert qmon.finished()[0]["status"] == "KILLED"


def test_finish_is_idempotent_and_the_first_end_stands():
    qmon = Captured()
    with qmon.start_run("r6", qubits=1, shots=4, target="t") as run:
        run.finish("FAILED", "diverged")
        run.finish("SUCCEEDED")
    assert qmon.finished() == [{"status": "FAILED", "epochs": 0, "message": "diverged"}]
    assert run.finished
    with pytest.raises(RuntimeError):
        run.log_epoch({"0": 4})


def test_log_epoch_numbers_epochs_from_one_and_takes_numpy_values_and_tensors_as_losses():
    qmon = Captured()
    run = qmon.start_run("r7", qubits=3, shots=8, target="t")
    assert run.log_epoch({np.str_("101"): np.int64(5), "000": np.int32(3)}, losses={"g_loss": np.float32(0.5)}) == 1
    assert run.log_epoch(([1, 2], [4, 4])) == 2
    assert run.log_epoch({"111": 8}, epoch=10) == 10
    shots = qmon.on(SHOTS)
    assert [s["epoch"] for s in shots] == [1, 2, 10]
    assert (shots[0]["outcomes"], shots[0]["counts"], shots[0]["losses"]) == ([0, 5], [3, 5], {"g_loss": 0.5})


def test_pennylane_counts_have_wire_zero_leftmost():
    qmon = Captured()
    run = qmon.start_run("r8", qubits=3, shots=10, target="t")
    # qml.counts on wires [0, 1, 2]: "011" = wire 0 read 0, wires 1 and 2 read 1 -> 0b110 = 6.
    run.log_epoch({"011": np.int64(7), "100": np.int64(3), "000": np.int64(0)}, bit_order="pennylane")
    shots = qmon.on(SHOTS)[0]
    assert (shots["outcomes"], shots["counts"]) == ([1, 6], [3, 7])


def test_counts_that_do_not_sum_to_shots_are_refused_naming_the_field():
    qmon = Captured()
    run = qmon.start_run("r9", qubits=1, shots=10, target="t")
    with pytest.raises(InvalidEventError) as refused:
        run.log_epoch({"0": 3, "1": 3})
    assert refused.value.field == "counts"
    assert run.next_seq == 1


def test_a_qiskit_statevector_and_a_pennylane_state_give_the_same_snapshot():
    from qiskit import QuantumCircuit
    from qiskit.quantum_info import Statevector

    circuit = QuantumCircuit(2)
    circuit.x(0)  # |q1 q0> = |01>: qubit 0 set, index 1 in Qiskit's (and qmon's) order
    qmon = Captured()
    run = qmon.start_run("r10", qubits=2, shots=10, target="t")
    run.log_epoch({"01": 10})
    run.log_state(Statevector(circuit))
    run.log_epoch({"01": 10})
    # PennyLane orders amplitudes with wire 0 most significant: wire 0 set is index 0b10 = 2.
    run.log_state(np.array([0, 0, 1, 0], dtype=complex), bit_order="pennylane")
    states = qmon.on(STATES)
    assert [s["epoch"] for s in states] == [1, 2]
    for state in states:
        assert state["amplitudes_re"] == [0.0, 1.0, 0.0, 0.0]
        assert state["amplitudes_im"] == [0.0] * 4


def test_the_optimizer_callback_publishes_every_scipy_iteration_with_its_objective():
    from qiskit import QuantumCircuit
    from qiskit.circuit import Parameter
    from qiskit_aer.primitives import SamplerV2

    theta = Parameter("t")
    circuit = QuantumCircuit(1)
    circuit.ry(theta, 0)
    circuit.measure_all()
    sampler = SamplerV2(seed=3)

    def sample(params):
        return sampler.run([(circuit, [float(params[0])])], shots=200).result()[0]

    def objective(params):  # probability of reading 1, to be minimised
        return sample(params).data.meas.get_int_counts().get(1, 0) / 200

    qmon = Captured()
    seen = []
    with qmon.start_run("r11", qubits=1, shots=200, target="t") as run:
        callback = run.optimizer_callback(sample, loss_name="p1")

        def both(intermediate_result):
            seen.append(float(intermediate_result.fun))
            callback.scipy(intermediate_result)

        minimize(objective, x0=[2.5], method="Nelder-Mead", callback=both, options={"maxiter": 8})
    shots = qmon.on(SHOTS)
    assert len(seen) >= 3
    assert [s["epoch"] for s in shots] == list(range(1, len(seen) + 1))
    assert [s["losses"]["p1"] for s in shots] == seen
    assert all(sum(s["counts"]) == 200 for s in shots)
    assert qmon.finished()[0]["epochs"] == len(seen)


def test_the_optimizer_callback_reads_qiskit_optimizer_and_trainable_model_signatures():
    qmon = Captured()
    run = qmon.start_run("r12", qubits=1, shots=4, target="t")
    callback = run.optimizer_callback(lambda params: {"1" if params[0] > 0 else "0": 4}, every=2)
    callback(1, np.array([0.3]), np.float64(0.7), 0.01, True)  # SPSA: nfev, x, fx, stepsize, accepted
    callback(3, np.array([-0.2]), 0.5, 0.01, True)
    callback(np.array([0.9]), 0.25)  # TrainableModel: weights, objective value
    callback(np.array([-0.9]), 0.125)
    shots = qmon.on(SHOTS)
    assert [(s["epoch"], s["outcomes"], s["losses"]) for s in shots] == [
        (1, [0], {"loss": 0.5}),
        (2, [0], {"loss": 0.125}),
    ]
    assert (callback.calls, callback.published) == (4, 2)
    with pytest.raises(TypeError):
        callback("x", "y", "z")


def test_the_scipy_form_takes_the_bare_point_cobyla_passes():
    qmon = Captured()
    run = qmon.start_run("r13", qubits=1, shots=4, target="t")
    callback = run.optimizer_callback(lambda params: {"0": 4})
    minimize(lambda x: float((x[0] - 1) ** 2), [0.0], method="COBYLA", callback=callback.scipy, options={"maxiter": 5})
    shots = qmon.on(SHOTS)
    assert len(shots) == callback.calls >= 1
    assert all(s["losses"] == {} for s in shots)

"""The adapters against the real optional libraries (the SDK's extras ``qml`` and ``pennylane``,
which the project virtualenv installs so that these tests always run)."""

import numpy as np

from qmon_sdk.publisher import SHOTS, STATES
from test_runs import Captured


def test_real_pennylane_counts_and_state_land_with_wire_zero_as_qubit_zero():
    import pennylane as qml

    @qml.set_shots(50)
    @qml.qnode(qml.device("default.qubit", wires=3))
    def counts():
        qml.PauliX(wires=0)
        return qml.counts()

    @qml.qnode(qml.device("default.qubit", wires=3))
    def state():
        qml.PauliX(wires=0)
        return qml.state()

    qmon = Captured()
    with qmon.start_run("pl", qubits=3, shots=50, target="t") as run:
        run.log_epoch(counts(), bit_order="pennylane")
        run.log_state(state(), bit_order="pennylane")
    shots, snapshot = qmon.on(SHOTS)[0], qmon.on(STATES)[0]
    assert (shots["outcomes"], shots["counts"]) == ([1], [50])  # wire 0 set -> outcome 0b001
    assert snapshot["amplitudes_re"] == [0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]


def test_real_qiskit_machine_learning_spsa_and_classifier_callbacks_publish_each_iteration():
    from qiskit import QuantumCircuit
    from qiskit.circuit import Parameter
    from qiskit_aer.primitives import SamplerV2
    from qiskit_machine_learning.algorithms.classifiers import NeuralNetworkClassifier
    from qiskit_machine_learning.neural_networks import SamplerQNN
    from qiskit_machine_learning.optimizers import COBYLA, SPSA

    x, w = Parameter("x"), Parameter("w")
    circuit = QuantumCircuit(1)
    circuit.ry(x, 0)
    circuit.ry(w, 0)
    measured = circuit.copy()
    measured.measure_all()
    sampler = SamplerV2(seed=2)

    def sample(params):
        return sampler.run([(measured, [0.3, float(params[0])])], shots=64).result()[0]

    def objective(params):
        return sample(params).data.meas.get_int_counts().get(1, 0) / 64

    for name, train in [
        ("spsa", lambda cb: SPSA(maxiter=4, learning_rate=0.3, perturbation=0.2, callback=cb).minimize(objective, x0=np.array([2.5]))),
        (
            "classifier",
            lambda cb: NeuralNetworkClassifier(
                SamplerQNN(circuit=circuit, input_params=[x], weight_params=[w], interpret=lambda b: b, output_shape=2),
                optimizer=COBYLA(maxiter=4),
                callback=cb,
                one_hot=True,
            ).fit(np.array([[0.1], [2.8]]), np.array([[1, 0], [0, 1]])),
        ),
    ]:
        qmon = Captured()
        seen = []
        with qmon.start_run(name, qubits=1, shots=64, target="t") as run:
            callback = run.optimizer_callback(sample)

            def both(*args):
                seen.append(float(args[2] if len(args) > 2 else args[1]))
                callback(*args)

            train(both)
        shots = qmon.on(SHOTS)
        assert len(seen) == 4
        assert [s["losses"]["loss"] for s in shots] == seen, name

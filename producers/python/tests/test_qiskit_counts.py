import pytest

from qmon_sdk import outcome_of, sparse_counts, sparse_sampler_counts


def test_rightmost_bit_is_qubit_zero():
    assert outcome_of("001") == 1
    assert outcome_of("100") == 4
    assert outcome_of("011") == 3


def test_reads_hex_int_and_register_separated_keys():
    assert outcome_of("0x6") == 6
    assert outcome_of(5) == 5
    assert outcome_of("01 10") == 0b0110


def test_sparse_counts_sorts_merges_and_drops_zeros():
    outcomes, counts = sparse_counts({"11": 3, "0x0": 1, "00": 2, "01": 0, 3: 4}, num_qubits=2)
    assert outcomes == [0, 3]
    assert counts == [3, 7]


def test_refuses_outcome_beyond_qubits_and_bad_keys():
    with pytest.raises(ValueError, match="does not fit in 2 qubits"):
        sparse_counts({"100": 1}, num_qubits=2)
    with pytest.raises(ValueError, match="neither a bitstring"):
        outcome_of("0a1")
    with pytest.raises(ValueError, match="negative"):
        sparse_counts({"1": -1})


def test_aer_sampler_result_follows_qubit_zero_least_significant():
    qiskit = pytest.importorskip("qiskit")
    aer = pytest.importorskip("qiskit_aer.primitives")
    circuit = qiskit.QuantumCircuit(3)
    circuit.x(0)
    circuit.x(2)
    circuit.measure_all()
    result = aer.SamplerV2(seed=1).run([circuit], shots=50).result()
    assert sparse_sampler_counts(result[0], num_qubits=3) == ([0b101], [50])
    assert sparse_counts(result[0].data.meas.get_counts()) == ([5], [50])

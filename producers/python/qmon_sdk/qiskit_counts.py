"""Turns Qiskit measurement results into qmon's sparse (outcomes, counts).

Qiskit writes a bitstring with qubit (classical bit) 0 as the *rightmost* character, so
``"011"`` means qubits 0 and 1 read 1 and qubit 2 read 0. qmon uses the same convention with
integers (qubit 0 = least significant bit), so ``int("011", 2) == 3`` is the right outcome and the
string must *not* be reversed. Pure Python: importing this module does not import Qiskit.

PennyLane's ``qml.counts`` writes wire 0 as the *leftmost* character (``"011"`` on wires
``[0, 1, 2]`` means wire 0 read 0, wires 1 and 2 read 1), the opposite order; with
``bit_order="pennylane"`` the string is reversed first, so wire i of the measured wires becomes
qmon's qubit i (``"011"`` is outcome ``0b110 = 6``). Values may be numpy integers.
"""

import operator
from numbers import Integral
from typing import Any, List, Mapping, Optional, Tuple, Union

Key = Union[str, int]

#: Qiskit: qubit 0 is the rightmost bit (qmon's own convention).
QISKIT = "qiskit"
#: PennyLane: wire 0 is the leftmost bit.
PENNYLANE = "pennylane"
BIT_ORDERS = (QISKIT, PENNYLANE)


def outcome_of(key: Key, bit_order: str = QISKIT) -> int:
    """One counts key as an integer outcome (qubit 0 = least significant bit).

    Accepts bitstrings (``"0110"``, with spaces between classical registers as in
    ``Result.get_counts()``), hex strings (``"0x6"``, as in raw backend results) and integers
    (Python or numpy). ``bit_order`` says where qubit 0 is in a bitstring: ``"qiskit"`` (rightmost)
    or ``"pennylane"`` (leftmost); hex strings and integers are taken as they are.
    """
    if bit_order not in BIT_ORDERS:
        raise ValueError(f"bit_order {bit_order!r} is not one of {BIT_ORDERS}")
    if isinstance(key, bool):
        raise ValueError(f"counts key {key!r} is a bool, not an outcome")
    if isinstance(key, Integral):
        key = operator.index(key)
        if key < 0:
            raise ValueError(f"counts key {key} is negative")
        return key
    if not isinstance(key, str):
        raise ValueError(f"counts key {key!r} is neither a bitstring, a hex string nor an int")
    text = key.replace(" ", "")
    if text.startswith(("0x", "0X")):
        return int(text, 16)
    if not text or set(text) - {"0", "1"}:
        raise ValueError(f"counts key {key!r} is neither a bitstring, a hex string nor an int")
    return int(text[::-1] if bit_order == PENNYLANE else text, 2)


def sparse_counts(
    counts: Mapping[Key, int], num_qubits: Optional[int] = None, bit_order: str = QISKIT
) -> Tuple[List[int], List[int]]:
    """Sorted distinct outcomes and their counts; zero counts dropped, equal keys merged.

    With ``num_qubits`` every outcome is checked to be below 2^num_qubits. Counts may be numpy
    integers; fractional counts (quasi-probabilities) are refused.
    """
    merged = {}
    for key, count in counts.items():
        if isinstance(count, bool) or not isinstance(count, Integral):
            if isinstance(count, float) and count.is_integer():
                count = int(count)
            else:
                raise ValueError(f"count {count!r} of {key!r} is not a whole number of shots")
        count = operator.index(count)
        if count < 0:
            raise ValueError(f"count {count} of {key!r} is negative")
        if count == 0:
            continue
        outcome = outcome_of(key, bit_order)
        if num_qubits is not None and outcome >> num_qubits:
            raise ValueError(f"outcome {key!r} = {outcome} does not fit in {num_qubits} qubits")
        merged[outcome] = merged.get(outcome, 0) + int(count)
    outcomes = sorted(merged)
    return outcomes, [merged[x] for x in outcomes]


def sampler_counts(pub_result: Any, register: Optional[str] = None) -> Mapping[int, int]:
    """Integer counts of one SamplerV2 PUB result (``job.result()[i]``).

    ``register`` names the classical register (``"meas"`` after ``measure_all()``); when omitted
    the result must hold exactly one.
    """
    data = pub_result.data
    if register is None:
        names = list(data.keys()) if hasattr(data, "keys") else list(vars(data))
        if len(names) != 1:
            raise ValueError(f"result has registers {names}; name the one to read")
        register = names[0]
    bits = getattr(data, register)
    return bits.get_int_counts()


def sparse_sampler_counts(
    pub_result: Any, num_qubits: Optional[int] = None, register: Optional[str] = None
) -> Tuple[List[int], List[int]]:
    """``sparse_counts`` of a SamplerV2 PUB result."""
    return sparse_counts(sampler_counts(pub_result, register), num_qubits)


def counts_of(
    result: Any,
    num_qubits: Optional[int] = None,
    bit_order: str = QISKIT,
    register: Optional[str] = None,
) -> Tuple[List[int], List[int]]:
    """Sparse ``(outcomes, counts)`` of whatever a sampler returned, as it comes.

    - a counts mapping: Qiskit ``get_counts()`` / ``get_int_counts()``, PennyLane ``qml.counts``
      (with ``bit_order="pennylane"``), any ``{bitstring | int: count}``;
    - a Qiskit SamplerV2 PUB result (``job.result()[0]``) or its ``BitArray``
      (``result[0].data.meas``);
    - a pair ``(outcomes, counts)`` of equal-length sequences, passed through.
    """
    if isinstance(result, Mapping):
        return sparse_counts(result, num_qubits, bit_order)
    if hasattr(result, "get_int_counts"):
        return sparse_counts(result.get_int_counts(), num_qubits)
    if hasattr(result, "data") and not isinstance(result, (list, tuple)):
        return sparse_sampler_counts(result, num_qubits, register)
    if isinstance(result, tuple) and len(result) == 2:
        outcomes, counts = result
        return [operator.index(x) for x in outcomes], [operator.index(c) for c in counts]
    if isinstance(result, (list, tuple)) and result and isinstance(result[0], Mapping):
        raise ValueError(
            f"got {len(result)} counts dicts (a broadcast or multi-measurement result); "
            "publish one per epoch"
        )
    raise ValueError(
        f"cannot read counts from a {type(result).__name__}: pass a counts dict, a SamplerV2 "
        "PUB result or BitArray, or (outcomes, counts)"
    )

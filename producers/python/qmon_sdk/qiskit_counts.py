"""Turns Qiskit measurement results into qmon's sparse (outcomes, counts).

Qiskit writes a bitstring with qubit (classical bit) 0 as the *rightmost* character, so
``"011"`` means qubits 0 and 1 read 1 and qubit 2 read 0. qmon uses the same convention with
integers (qubit 0 = least significant bit), so ``int("011", 2) == 3`` is the right outcome and the
string must *not* be reversed. Pure Python: importing this module does not import Qiskit.
"""

from typing import Any, List, Mapping, Optional, Tuple, Union

Key = Union[str, int]


def outcome_of(key: Key) -> int:
    """One Qiskit counts key as an integer outcome.

    Accepts bitstrings (``"0110"``, with spaces between classical registers as in
    ``Result.get_counts()``), hex strings (``"0x6"``, as in raw backend results) and ints.
    """
    if isinstance(key, bool):
        raise ValueError(f"counts key {key!r} is a bool, not an outcome")
    if isinstance(key, int):
        if key < 0:
            raise ValueError(f"counts key {key} is negative")
        return key
    text = key.replace(" ", "")
    if text.startswith(("0x", "0X")):
        return int(text, 16)
    if not text or set(text) - {"0", "1"}:
        raise ValueError(f"counts key {key!r} is neither a bitstring, a hex string nor an int")
    return int(text, 2)


def sparse_counts(counts: Mapping[Key, int], num_qubits: Optional[int] = None) -> Tuple[List[int], List[int]]:
    """Sorted distinct outcomes and their counts; zero counts dropped, equal keys merged.

    With ``num_qubits`` every outcome is checked to be below 2^num_qubits.
    """
    merged = {}
    for key, count in counts.items():
        if count < 0:
            raise ValueError(f"count {count} of {key!r} is negative")
        if count == 0:
            continue
        outcome = outcome_of(key)
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

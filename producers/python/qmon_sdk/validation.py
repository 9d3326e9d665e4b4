"""Checks run before anything is sent, with the same rules and messages as the Java SDK."""

import math
from typing import Mapping, Optional, Sequence

from .errors import InvalidEventError

# The error codes of io.qmon.schemas.validation.ErrorType, in its order: the job's dead letters and
# both SDKs use these names (ErrorTypeTest on the Java side fails when this list drifts).
ERROR_TYPES = (
    "UNREADABLE",
    "UNKNOWN_SCHEMA",
    "WRONG_SCHEMA",
    "REGISTRY_UNAVAILABLE",
    "MISSING_RUN_ID",
    "MISSING_PRODUCER_ID",
    "MISSING_TARGET_ID",
    "INVALID_SEQ",
    "INVALID_EPOCH",
    "INVALID_EVENT_TIME",
    "INVALID_QUBITS",
    "INVALID_SHOTS",
    "INVALID_RUN_START",
    "INVALID_COUNTS",
    "NEGATIVE_COUNT",
    "COUNTS_NOT_SUMMING_TO_SHOTS",
    "OUTCOME_OUT_OF_RANGE",
    "DUPLICATE_OUTCOME",
    "NON_FINITE_LOSS",
    "INVALID_TARGET",
    "INVALID_STATE",
    "FIELD_TOO_LONG",
    "TOO_MANY_ENTRIES",
    "FUTURE_EVENT_TIME",
    "LATE_EVENT",
    "QUBITS_MISMATCH",
    "EPOCH_BACKWARDS",
    "RUN_CLOSED",
    "PENDING_TIMEOUT",
    "PENDING_OVERFLOW",
    "RUN_STALLED",
    "SCORING_FAILED",
)

MAX_QUBITS = 63
MAX_STATE_QUBITS = 20
_NORM_TOLERANCE = 1e-6


def _require(condition: bool, field: str, problem: str) -> None:
    if not condition:
        raise InvalidEventError(field, problem)


def check_run_started(run_id: str, qubits: int, shots: int, target_id: str, repeat_index: int) -> None:
    _require(bool(run_id and run_id.strip()), "run_id", "must not be blank")
    _require(1 <= qubits <= MAX_QUBITS, "qubits", f"{qubits} is outside [1, {MAX_QUBITS}]")
    _require(shots > 0, "shots", f"{shots} must be > 0")
    _require(bool(target_id and target_id.strip()), "target_id", "must not be blank")
    _require(repeat_index >= 0, "repeat_index", f"{repeat_index} must be >= 0")


def check_epoch(
    epoch: int,
    previous_epoch: int,
    qubits: int,
    shots: int,
    outcomes: Sequence[int],
    counts: Sequence[int],
    losses: Optional[Mapping[str, float]],
) -> None:
    """Epochs increase; outcomes distinct and < 2^qubits; counts >= 0 and summing to shots."""
    _require(epoch >= 0, "epoch", f"{epoch} must be >= 0")
    _require(
        epoch > previous_epoch,
        "epoch",
        f"{epoch} must be greater than the previous epoch {previous_epoch}",
    )
    _require(
        len(outcomes) == len(counts),
        "counts",
        f"has {len(counts)} entries but outcomes has {len(outcomes)}; they must pair up",
    )
    limit = (1 << qubits) - 1
    seen = {}
    total = 0
    for i, (outcome, count) in enumerate(zip(outcomes, counts)):
        if not 0 <= outcome <= limit:
            raise InvalidEventError(
                f"outcomes[{i}]",
                f"{outcome} does not fit in {qubits} qubits (must be in [0, 2^{qubits}))",
            )
        if count < 0:
            raise InvalidEventError(f"counts[{i}]", f"{count} for outcome {outcome} must be >= 0")
        total += count
    for i, outcome in enumerate(outcomes):
        first = seen.setdefault(outcome, i)
        if first != i:
            raise InvalidEventError(
                f"outcomes[{i}]",
                f"{outcome} repeats outcomes[{first}]; each outcome must appear once",
            )
    _require(total == shots, "counts", f"sum to {total} but the run declared shots = {shots}")
    for name, value in (losses or {}).items():
        _require(
            isinstance(value, (int, float)) and math.isfinite(value),
            f"losses[{name}]",
            f"{value} is not finite",
        )


def check_state(epoch: int, previous_epoch: int, qubits: int, re: Sequence[float], im: Sequence[float]) -> None:
    """2^qubits finite amplitudes of squared norm 1; snapshot epochs increase."""
    _require(epoch >= 0, "epoch", f"{epoch} must be >= 0")
    _require(
        epoch > previous_epoch,
        "epoch",
        f"{epoch} must be greater than the previous snapshot's epoch {previous_epoch}",
    )
    _require(
        qubits <= MAX_STATE_QUBITS,
        "qubits",
        f"{qubits} is too many for a snapshot (at most {MAX_STATE_QUBITS})",
    )
    size = 1 << qubits
    _require(len(re) == size, "amplitudes_re", f"has {len(re)} entries, not 2^{qubits}")
    _require(len(im) == size, "amplitudes_im", f"has {len(im)} entries, not 2^{qubits}")
    norm = 0.0
    for i in range(size):
        _require(math.isfinite(re[i]), f"amplitudes_re[{i}]", f"{re[i]} is not finite")
        _require(math.isfinite(im[i]), f"amplitudes_im[{i}]", f"{im[i]} is not finite")
        norm += re[i] * re[i] + im[i] * im[i]
    _require(
        abs(norm - 1) <= _NORM_TOLERANCE,
        "amplitudes",
        f"squared norm is {norm}, not 1 (tolerance {_NORM_TOLERANCE})",
    )


def check_target(target_id: str, qubits: int, outcomes: Sequence[int], probabilities: Sequence[float]) -> None:
    _require(bool(target_id and target_id.strip()), "target_id", "must not be blank")
    _require(1 <= qubits <= MAX_QUBITS, "qubits", f"{qubits} is outside [1, {MAX_QUBITS}]")
    _require(
        len(outcomes) == len(probabilities) and len(outcomes) > 0,
        "probabilities",
        f"needs one entry per outcome and at least one; got {len(outcomes)} outcomes "
        f"and {len(probabilities)} probabilities",
    )
    limit = (1 << qubits) - 1
    for i, (x, p) in enumerate(zip(outcomes, probabilities)):
        _require(0 <= x <= limit, f"outcomes[{i}]", f"{x} does not fit in {qubits} qubits")
        _require(math.isfinite(p) and p >= 0, f"probabilities[{i}]", f"{p} must be finite and >= 0")
    total = math.fsum(probabilities)
    _require(abs(total - 1) <= 1e-6, "probabilities", f"sum to {total}, not 1")

"""Checks run before anything is sent, with the same rules and messages as the Java SDK."""

import math
import re
from typing import Any, Mapping, Optional, Sequence

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

# The bounds of io.qmon.schemas.validation.InputBounds (the Java test InputBoundsMirrorTest fails
# when a value here differs from the Java constant of the same name).
MAX_ID_LENGTH = 256
MAX_NAME_LENGTH = 256
MAX_TEXT_LENGTH = 4096
MAX_MAP_ENTRIES = 256
MAX_MAP_KEY_LENGTH = 256
MAX_MAP_VALUE_LENGTH = 1024
MAX_ATTACHMENTS = 16
MAX_ATTACHMENT_NAME_LENGTH = 128
MAX_ATTACHMENT_BYTES = 262144
MAX_LOSSES = 32
MAX_LOSS_NAME_LENGTH = 64
MAX_EPOCH = 1000000000
MAX_SHOTS = 1000000000000
MAX_OUTCOMES = 65536
MAX_TARGET_OUTCOMES = 1048576
MIN_EVENT_TIME_MS = 946684800000
MAX_EVENT_TIME_MS = 253402300799999


def _require(condition: bool, field: str, problem: str, error_type: str) -> None:
    if not condition:
        raise InvalidEventError(field, problem, error_type)


def _check_length(field: str, value: Optional[str], bound: int) -> None:
    if value is not None and len(value) > bound:
        raise InvalidEventError(
            field, f"has {len(value)} characters; at most {bound}", "FIELD_TOO_LONG"
        )


def _check_map(field: str, values: Optional[Mapping[str, Any]]) -> None:
    values = values or {}
    _require(
        len(values) <= MAX_MAP_ENTRIES,
        field,
        f"has {len(values)} entries; at most {MAX_MAP_ENTRIES} are accepted",
        "TOO_MANY_ENTRIES",
    )
    for key, value in values.items():
        _check_length(f"{field} key", str(key), MAX_MAP_KEY_LENGTH)
        _check_length(f"{field}[{str(key)[:32]}]", str(value), MAX_MAP_VALUE_LENGTH)

# A safe relative file name: no separator, no leading dot (so no "..", nothing hidden).
_ATTACHMENT_NAME = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]*")


def check_attachments(attachments: Optional[Mapping[str, str]]) -> None:
    """At most MAX_ATTACHMENTS files named by safe relative file names, MAX_ATTACHMENT_BYTES of
    UTF-8 together (the rules of the Java EventValidator.checkAttachments)."""
    attachments = attachments or {}
    _require(
        len(attachments) <= MAX_ATTACHMENTS,
        "attachments",
        f"has {len(attachments)} entries; at most {MAX_ATTACHMENTS} are accepted",
        "TOO_MANY_ENTRIES",
    )
    total = 0
    for name, content in attachments.items():
        _check_length("attachments", str(name), MAX_ATTACHMENT_NAME_LENGTH)
        _require(
            _ATTACHMENT_NAME.fullmatch(str(name)) is not None,
            f"attachments[{str(name)[:32]}]",
            f"name {str(name)[:32]!r} is not a safe relative file name: use 1 to "
            f"{MAX_ATTACHMENT_NAME_LENGTH} of [A-Za-z0-9._-], not starting with a dot",
            "INVALID_RUN_START",
        )
        total += len(str(content).encode("utf-8"))
        _require(
            total <= MAX_ATTACHMENT_BYTES,
            f"attachments[{str(name)[:32]}]",
            f"take more than {MAX_ATTACHMENT_BYTES} bytes of UTF-8 together (reached {total})",
            "FIELD_TOO_LONG",
        )


def check_run_started(
    run_id: str,
    qubits: int,
    shots: int,
    target_id: str,
    repeat_index: int,
    experiment: Optional[str] = None,
    names: Optional[Mapping[str, Optional[str]]] = None,
    params: Optional[Mapping[str, Any]] = None,
    tags: Optional[Mapping[str, Any]] = None,
    optimizer_settings: Optional[Mapping[str, Any]] = None,
    config_id: Optional[str] = None,
    attachments: Optional[Mapping[str, str]] = None,
) -> None:
    """The run start's fields, names, maps and attachments (``experiment`` is checked when
    given)."""
    _require(bool(run_id and run_id.strip()), "run_id", "must not be blank", "MISSING_RUN_ID")
    _check_length("run_id", run_id, MAX_ID_LENGTH)
    _require(1 <= qubits <= MAX_QUBITS, "qubits", f"{qubits} is outside [1, {MAX_QUBITS}]", "INVALID_QUBITS")
    _require(shots > 0, "shots", f"{shots} must be > 0", "INVALID_SHOTS")
    _require(shots <= MAX_SHOTS, "shots", f"{shots} is above the largest accepted {MAX_SHOTS}", "INVALID_SHOTS")
    _require(bool(target_id and target_id.strip()), "target_id", "must not be blank", "MISSING_TARGET_ID")
    _check_length("target_id", target_id, MAX_ID_LENGTH)
    _check_length("config_id", config_id, MAX_ID_LENGTH)
    if experiment is not None:
        _require(bool(experiment.strip()), "experiment", "must not be blank", "INVALID_RUN_START")
        _check_length("experiment", experiment, MAX_NAME_LENGTH)
    _require(repeat_index >= 0, "repeat_index", f"{repeat_index} must be >= 0", "INVALID_RUN_START")
    for name, value in (names or {}).items():
        _check_length(name, value, MAX_NAME_LENGTH)
    _check_map("params", params)
    _check_map("tags", tags)
    _check_map("optimizer_settings", optimizer_settings)
    check_attachments(attachments)


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
    _require(epoch >= 0, "epoch", f"{epoch} must be >= 0", "INVALID_EPOCH")
    _require(epoch <= MAX_EPOCH, "epoch", f"{epoch} is above the largest accepted epoch {MAX_EPOCH}", "INVALID_EPOCH")
    _require(
        epoch > previous_epoch,
        "epoch",
        f"{epoch} must be greater than the previous epoch {previous_epoch}",
        "EPOCH_BACKWARDS",
    )
    _require(
        len(outcomes) == len(counts),
        "counts",
        f"has {len(counts)} entries but outcomes has {len(outcomes)}; they must pair up",
        "INVALID_COUNTS",
    )
    allowed = min(MAX_OUTCOMES, shots, 1 << qubits)
    _require(
        len(outcomes) <= allowed,
        "outcomes",
        f"has {len(outcomes)} entries; at most min(shots = {shots}, 2^qubits, {MAX_OUTCOMES}) = {allowed} are possible",
        "TOO_MANY_ENTRIES",
    )
    limit = (1 << qubits) - 1
    seen = {}
    total = 0
    for i, (outcome, count) in enumerate(zip(outcomes, counts)):
        if not 0 <= outcome <= limit:
            raise InvalidEventError(
                f"outcomes[{i}]",
                f"{outcome} does not fit in {qubits} qubits (must be in [0, 2^{qubits}))",
                "OUTCOME_OUT_OF_RANGE",
            )
        if count < 0:
            raise InvalidEventError(
                f"counts[{i}]", f"{count} for outcome {outcome} must be >= 0", "NEGATIVE_COUNT"
            )
        total += count
    for i, outcome in enumerate(outcomes):
        first = seen.setdefault(outcome, i)
        if first != i:
            raise InvalidEventError(
                f"outcomes[{i}]",
                f"{outcome} repeats outcomes[{first}]; each outcome must appear once",
                "DUPLICATE_OUTCOME",
            )
    # Python integers do not overflow; the job adds in 64 bits, so a sum beyond it is refused.
    _require(total < (1 << 63), "counts", f"sum to {total}, beyond a 64-bit sum", "INVALID_COUNTS")
    _require(
        total == shots,
        "counts",
        f"sum to {total} but the run declared shots = {shots}",
        "COUNTS_NOT_SUMMING_TO_SHOTS",
    )
    check_losses(losses)


def check_losses(losses: Optional[Mapping[str, float]]) -> None:
    """At most MAX_LOSSES named, finite losses with names of at most MAX_LOSS_NAME_LENGTH."""
    losses = losses or {}
    _require(
        len(losses) <= MAX_LOSSES,
        "losses",
        f"has {len(losses)} entries; at most {MAX_LOSSES} are accepted",
        "TOO_MANY_ENTRIES",
    )
    for name, value in losses.items():
        _require(bool(name and str(name).strip()), "losses", "has an entry without a name", "NON_FINITE_LOSS")
        _check_length("losses", str(name), MAX_LOSS_NAME_LENGTH)
        _require(
            isinstance(value, (int, float)) and math.isfinite(value),
            f"losses[{name}]",
            f"{value} is not finite",
            "NON_FINITE_LOSS",
        )


def check_event_time(event_time_ms: int) -> None:
    """An event time between 2000-01-01 and the end of the year 9999 (epoch milliseconds)."""
    _require(
        MIN_EVENT_TIME_MS <= event_time_ms <= MAX_EVENT_TIME_MS,
        "event_time",
        f"{event_time_ms} ms is outside [{MIN_EVENT_TIME_MS} (2000-01-01T00:00:00Z), "
        f"{MAX_EVENT_TIME_MS} (9999-12-31T23:59:59.999Z)]",
        "INVALID_EVENT_TIME",
    )


def check_finish(epochs: int, message: Optional[str]) -> None:
    _require(0 <= epochs <= MAX_EPOCH, "epochs", f"{epochs} is outside [0, {MAX_EPOCH}]", "INVALID_EPOCH")
    _check_length("message", message, MAX_TEXT_LENGTH)


def check_state(epoch: int, previous_epoch: int, qubits: int, re: Sequence[float], im: Sequence[float]) -> None:
    """2^qubits finite amplitudes of squared norm 1; snapshot epochs increase."""
    _require(epoch >= 0, "epoch", f"{epoch} must be >= 0", "INVALID_EPOCH")
    _require(epoch <= MAX_EPOCH, "epoch", f"{epoch} is above the largest accepted epoch {MAX_EPOCH}", "INVALID_EPOCH")
    _require(
        epoch > previous_epoch,
        "epoch",
        f"{epoch} must be greater than the previous snapshot's epoch {previous_epoch}",
        "EPOCH_BACKWARDS",
    )
    _require(
        qubits <= MAX_STATE_QUBITS,
        "qubits",
        f"{qubits} is too many for a snapshot (at most {MAX_STATE_QUBITS})",
        "INVALID_STATE",
    )
    size = 1 << qubits
    _require(len(re) == size, "amplitudes_re", f"has {len(re)} entries, not 2^{qubits}", "INVALID_STATE")
    _require(len(im) == size, "amplitudes_im", f"has {len(im)} entries, not 2^{qubits}", "INVALID_STATE")
    norm = 0.0
    for i in range(size):
        _require(math.isfinite(re[i]), f"amplitudes_re[{i}]", f"{re[i]} is not finite", "INVALID_STATE")
        _require(math.isfinite(im[i]), f"amplitudes_im[{i}]", f"{im[i]} is not finite", "INVALID_STATE")
        norm += re[i] * re[i] + im[i] * im[i]
    _require(
        abs(norm - 1) <= _NORM_TOLERANCE,
        "amplitudes",
        f"squared norm is {norm}, not 1 (tolerance {_NORM_TOLERANCE})",
        "INVALID_STATE",
    )


def check_target(
    target_id: str,
    qubits: int,
    outcomes: Sequence[int],
    probabilities: Sequence[float],
    low: Optional[float] = None,
    high: Optional[float] = None,
    description: Optional[str] = None,
) -> None:
    """Distinct outcomes within the qubits, probabilities finite, >= 0 and summing to 1, and a
    value range (when given) with finite low < high."""
    _require(bool(target_id and target_id.strip()), "target_id", "must not be blank", "MISSING_TARGET_ID")
    _check_length("target_id", target_id, MAX_ID_LENGTH)
    _check_length("description", description, MAX_TEXT_LENGTH)
    _require(1 <= qubits <= MAX_QUBITS, "qubits", f"{qubits} is outside [1, {MAX_QUBITS}]", "INVALID_QUBITS")
    _require(
        len(outcomes) == len(probabilities) and len(outcomes) > 0,
        "probabilities",
        f"needs one entry per outcome and at least one; got {len(outcomes)} outcomes "
        f"and {len(probabilities)} probabilities",
        "INVALID_TARGET",
    )
    allowed = min(MAX_TARGET_OUTCOMES, 1 << qubits)
    _require(
        len(outcomes) <= allowed,
        "outcomes",
        f"has {len(outcomes)} entries; a target lists at most min(2^qubits, {MAX_TARGET_OUTCOMES}) = {allowed}",
        "INVALID_TARGET",
    )
    limit = (1 << qubits) - 1
    seen = {}
    for i, (x, p) in enumerate(zip(outcomes, probabilities)):
        _require(0 <= x <= limit, f"outcomes[{i}]", f"{x} does not fit in {qubits} qubits", "INVALID_TARGET")
        _require(
            math.isfinite(p) and p >= 0, f"probabilities[{i}]", f"{p} must be finite and >= 0", "INVALID_TARGET"
        )
        first = seen.setdefault(x, i)
        _require(first == i, f"outcomes[{i}]", f"{x} repeats outcomes[{first}]; each outcome must appear once", "INVALID_TARGET")
    total = math.fsum(probabilities)
    _require(abs(total - 1) <= 1e-6, "probabilities", f"sum to {total}, not 1", "INVALID_TARGET")
    if low is not None or high is not None:
        _require(low is not None, "low", "is not set but high is: a value range needs both", "INVALID_TARGET")
        _require(high is not None, "high", "is not set but low is: a value range needs both", "INVALID_TARGET")
        _require(
            math.isfinite(low) and math.isfinite(high) and low < high and math.isfinite(high - low),
            "low",
            f"value range [low = {low}, high = {high}] must be finite with low < high",
            "INVALID_TARGET",
        )

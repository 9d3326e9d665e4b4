import pytest

from qmon_sdk import InvalidEventError
from qmon_sdk.validation import check_epoch, check_run_started, check_state, check_target

OUTCOMES = [0, 3, 7]
COUNTS = [50, 30, 20]


def test_accepts_consistent_epoch():
    check_epoch(1, 0, 3, 100, OUTCOMES, COUNTS, {"loss": 0.5})


def test_names_negative_count():
    with pytest.raises(InvalidEventError) as e:
        check_epoch(1, 0, 3, 100, OUTCOMES, [101, -1, 0], None)
    assert e.value.field == "counts[1]"
    assert str(e.value) == "counts[1]: -1 for outcome 3 must be >= 0"


def test_names_counts_not_summing_to_shots():
    with pytest.raises(InvalidEventError) as e:
        check_epoch(1, 0, 3, 100, OUTCOMES, [50, 30, 19], None)
    assert str(e.value) == "counts: sum to 99 but the run declared shots = 100"


def test_names_outcome_outside_qubits():
    with pytest.raises(InvalidEventError) as e:
        check_epoch(1, 0, 3, 100, [0, 8], [50, 50], None)
    assert str(e.value) == "outcomes[1]: 8 does not fit in 3 qubits (must be in [0, 2^3))"


def test_names_repeated_outcome():
    with pytest.raises(InvalidEventError) as e:
        check_epoch(1, 0, 3, 100, [5, 2, 5], [40, 40, 20], None)
    assert e.value.field == "outcomes[2]"


def test_refuses_epoch_that_does_not_increase():
    with pytest.raises(InvalidEventError) as e:
        check_epoch(4, 4, 3, 100, OUTCOMES, COUNTS, None)
    assert str(e.value) == "epoch: 4 must be greater than the previous epoch 4"


def test_names_non_finite_loss():
    with pytest.raises(InvalidEventError) as e:
        check_epoch(1, 0, 3, 100, OUTCOMES, COUNTS, {"g_loss": float("nan")})
    assert e.value.field == "losses[g_loss]"


def test_names_run_start_fields():
    with pytest.raises(InvalidEventError) as e:
        check_run_started("r", 64, 10, "t", 0)
    assert str(e.value) == "qubits: 64 is outside [1, 63]"
    with pytest.raises(InvalidEventError) as e:
        check_run_started("r", 3, 0, "t", 0)
    assert e.value.field == "shots"
    with pytest.raises(InvalidEventError) as e:
        check_run_started("r", 3, 10, "", 0)
    assert e.value.field == "target_id"


def test_checks_state_norm_and_length():
    h = 0.5 ** 0.5
    check_state(1, -1, 1, [h, 0.0], [0.0, h])
    with pytest.raises(InvalidEventError) as e:
        check_state(1, -1, 1, [1.0, 1.0], [0.0, 0.0])
    assert e.value.field == "amplitudes"
    with pytest.raises(InvalidEventError) as e:
        check_state(1, -1, 2, [1.0, 0.0], [0.0, 0.0])
    assert str(e.value) == "amplitudes_re: has 2 entries, not 2^2"


def test_checks_target_probabilities_sum_to_one():
    check_target("t", 2, [0, 3], [0.25, 0.75])
    with pytest.raises(InvalidEventError) as e:
        check_target("t", 2, [0, 3], [0.25, 0.5])
    assert e.value.field == "probabilities"


# ---- error codes and bounds shared with the job (io.qmon.schemas.validation) ----

from qmon_sdk import validation as v  # noqa: E402


def _code(call):
    with pytest.raises(InvalidEventError) as e:
        call()
    assert e.value.error_type in v.ERROR_TYPES
    return e.value


def test_refuses_reversed_target_range_as_invalid_target():
    e = _code(lambda: check_target("t", 2, [0, 3], [0.5, 0.5], low=1.0, high=0.0))
    assert (e.field, e.error_type) == ("low", "INVALID_TARGET")
    assert "[low = 1.0, high = 0.0]" in str(e)


def test_refuses_nan_target_range_and_half_a_range():
    assert _code(lambda: check_target("t", 2, [0, 3], [0.5, 0.5], low=float("nan"), high=1.0)).field == "low"
    assert _code(lambda: check_target("t", 2, [0, 3], [0.5, 0.5], low=0.0)).field == "high"


def test_refuses_target_listing_an_outcome_twice():
    e = _code(lambda: check_target("t", 2, [3, 3], [0.5, 0.5]))
    assert (e.field, e.error_type) == ("outcomes[1]", "INVALID_TARGET")


def test_codes_duplicate_outcome_and_too_many_outcomes():
    assert _code(lambda: check_epoch(1, 0, 3, 10, [5, 2, 5], [4, 4, 2], None)).error_type == "DUPLICATE_OUTCOME"
    e = _code(lambda: check_epoch(1, 0, 3, 2, [0, 1, 2], [1, 1, 0], None))
    assert (e.field, e.error_type) == ("outcomes", "TOO_MANY_ENTRIES")


def test_refuses_counts_beyond_a_64_bit_sum():
    big = (1 << 63) - 1
    e = _code(lambda: check_epoch(1, 0, 3, big, [0, 1], [big, 5], None))
    assert (e.field, e.error_type) == ("counts", "INVALID_COUNTS")


def test_refuses_absurd_epoch():
    e = _code(lambda: check_epoch(2**31 - 1, 0, 3, 100, OUTCOMES, COUNTS, None))
    assert (e.field, e.error_type) == ("epoch", "INVALID_EPOCH")


def test_caps_losses_in_count_and_name_length():
    many = {f"l{i}": 0.1 for i in range(v.MAX_LOSSES + 1)}
    assert _code(lambda: check_epoch(1, 0, 3, 100, OUTCOMES, COUNTS, many)).error_type == "TOO_MANY_ENTRIES"
    e = _code(lambda: check_epoch(1, 0, 3, 100, OUTCOMES, COUNTS, {"g" * 65: 0.1}))
    assert (e.field, e.error_type) == ("losses", "FIELD_TOO_LONG")


def test_caps_run_ids_names_and_maps_of_a_run_start():
    assert _code(lambda: check_run_started("r" * 257, 3, 100, "t", 0)).error_type == "FIELD_TOO_LONG"
    e = _code(lambda: check_run_started("r", 3, 100, "t", 0, experiment=""))
    assert (e.field, e.error_type) == ("experiment", "INVALID_RUN_START")
    e = _code(lambda: check_run_started("r", 3, 100, "t", 0, tags={str(i): "x" for i in range(257)}))
    assert (e.field, e.error_type) == ("tags", "TOO_MANY_ENTRIES")
    e = _code(lambda: check_run_started("r", 3, 100, "t", 0, params={"p": "x" * 1025}))
    assert (e.field, e.error_type) == ("params[p]", "FIELD_TOO_LONG")
    e = _code(lambda: check_run_started("r", 3, 10**13, "t", 0))
    assert (e.field, e.error_type) == ("shots", "INVALID_SHOTS")


def test_refuses_event_time_before_2000():
    e = _code(lambda: v.check_event_time(-(2**63)))
    assert (e.field, e.error_type) == ("event_time", "INVALID_EVENT_TIME")
    v.check_event_time(v.MIN_EVENT_TIME_MS)

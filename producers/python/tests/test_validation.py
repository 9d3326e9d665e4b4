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

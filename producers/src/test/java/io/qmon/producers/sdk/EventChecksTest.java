package io.qmon.producers.sdk;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.qmon.schemas.RunStarted;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventChecksTest {
  private static final long[] OUTCOMES = {0, 3, 7};
  private static final long[] COUNTS = {50, 30, 20};

  @Test
  void shouldAcceptConsistentEpoch() {
    assertDoesNotThrow(
        () -> EventChecks.checkEpoch(1, 0, 3, 100, OUTCOMES, COUNTS, Map.of("loss", 0.5)));
  }

  @Test
  void shouldAcceptEmptyLossesAndUnsortedDistinctOutcomes() {
    assertDoesNotThrow(
        () -> EventChecks.checkEpoch(0, -1, 3, 100, new long[] {7, 0}, new long[] {1, 99}, null));
  }

  @Test
  void shouldNameCountThatIsNegative() {
    InvalidEventException e =
        assertThrows(
            InvalidEventException.class,
            () ->
                EventChecks.checkEpoch(1, 0, 3, 100, OUTCOMES, new long[] {101, -1, 0}, Map.of()));
    assertEquals("counts[1]", e.field());
    assertEquals("counts[1] = -1 for outcome 3 is negative", e.getMessage());
  }

  @Test
  void shouldNameCountsThatDoNotSumToShots() {
    InvalidEventException e =
        assertThrows(
            InvalidEventException.class,
            () -> EventChecks.checkEpoch(1, 0, 3, 100, OUTCOMES, new long[] {50, 30, 19}, null));
    assertEquals("counts", e.field());
    assertEquals("counts sum to 99 but shots is 100", e.getMessage());
  }

  @Test
  void shouldNameOutcomeThatDoesNotFitInQubits() {
    InvalidEventException e =
        assertThrows(
            InvalidEventException.class,
            () ->
                EventChecks.checkEpoch(1, 0, 3, 100, new long[] {0, 8}, new long[] {50, 50}, null));
    assertEquals("outcomes[1]", e.field());
    assertEquals("outcomes[1] = 8 does not fit in 3 qubits (must be < 2^3)", e.getMessage());
  }

  @Test
  void shouldNameNegativeOutcome() {
    InvalidEventException e =
        assertThrows(
            InvalidEventException.class,
            () ->
                EventChecks.checkEpoch(
                    1, 0, 3, 100, new long[] {-1, 2}, new long[] {50, 50}, null));
    assertEquals("outcomes[0]", e.field());
  }

  @Test
  void shouldNameRepeatedOutcome() {
    InvalidEventException e =
        assertThrows(
            InvalidEventException.class,
            () ->
                EventChecks.checkEpoch(
                    1, 0, 3, 100, new long[] {5, 2, 5}, new long[] {40, 40, 20}, null));
    assertEquals("outcomes[2]", e.field());
    assertEquals(
        "outcomes[2]: 5 repeats outcomes[0]; each outcome must appear once", e.getMessage());
  }

  @Test
  void shouldRefuseEpochThatDoesNotIncrease() {
    InvalidEventException same =
        assertThrows(
            InvalidEventException.class,
            () -> EventChecks.checkEpoch(4, 4, 3, 100, OUTCOMES, COUNTS, null));
    assertEquals("epoch", same.field());
    assertEquals("epoch: 4 must be greater than the previous epoch 4", same.getMessage());
    assertThrows(
        InvalidEventException.class,
        () -> EventChecks.checkEpoch(3, 4, 3, 100, OUTCOMES, COUNTS, null));
  }

  @Test
  void shouldRefuseNegativeEpoch() {
    InvalidEventException e =
        assertThrows(
            InvalidEventException.class,
            () -> EventChecks.checkEpoch(-2, -5, 3, 100, OUTCOMES, COUNTS, null));
    assertEquals("epoch -2 is negative", e.getMessage());
  }

  @Test
  void shouldRefuseUnpairedCounts() {
    InvalidEventException e =
        assertThrows(
            InvalidEventException.class,
            () -> EventChecks.checkEpoch(1, 0, 3, 100, OUTCOMES, new long[] {100}, null));
    assertEquals("counts", e.field());
    assertEquals("outcomes has 3 entries but counts has 1; they must pair up", e.getMessage());
  }

  @Test
  void shouldNameNonFiniteLoss() {
    InvalidEventException e =
        assertThrows(
            InvalidEventException.class,
            () ->
                EventChecks.checkEpoch(
                    1, 0, 3, 100, OUTCOMES, COUNTS, Map.of("g_loss", Double.NaN)));
    assertEquals("losses[g_loss]", e.field());
  }

  @Test
  void shouldAcceptOutcomesUpToSixtyThreeQubits() {
    assertDoesNotThrow(
        () ->
            EventChecks.checkEpoch(
                1, 0, 63, 2, new long[] {0, Long.MAX_VALUE}, new long[] {1, 1}, null));
  }

  @Test
  void shouldNameRunStartFields() {
    RunStarted noShots = started(3, 0, "t");
    assertEquals(
        "shots",
        assertThrows(InvalidEventException.class, () -> EventChecks.checkRunStarted("r", noShots))
            .field());
    RunStarted tooWide = started(64, 10, "t");
    assertEquals(
        "qubits 64 is outside [1, 63]",
        assertThrows(InvalidEventException.class, () -> EventChecks.checkRunStarted("r", tooWide))
            .getMessage());
    RunStarted noTarget = started(3, 10, " ");
    assertEquals(
        "target_id",
        assertThrows(InvalidEventException.class, () -> EventChecks.checkRunStarted("r", noTarget))
            .field());
    assertEquals(
        "run_id",
        assertThrows(
                InvalidEventException.class,
                () -> EventChecks.checkRunStarted("", started(3, 10, "t")))
            .field());
  }

  @Test
  void shouldCheckStateSnapshots() {
    double h = Math.sqrt(0.5);
    assertDoesNotThrow(
        () -> EventChecks.checkState(1, -1, 1, new double[] {h, 0}, new double[] {0, h}));
    InvalidEventException length =
        assertThrows(
            InvalidEventException.class,
            () -> EventChecks.checkState(1, -1, 2, new double[] {1, 0}, new double[] {0, 0}));
    assertEquals("amplitudes_re: has 2 entries, not 2^2", length.getMessage());
    InvalidEventException norm =
        assertThrows(
            InvalidEventException.class,
            () -> EventChecks.checkState(1, -1, 1, new double[] {1, 1}, new double[] {0, 0}));
    assertEquals("amplitudes", norm.field());
    InvalidEventException nan =
        assertThrows(
            InvalidEventException.class,
            () ->
                EventChecks.checkState(
                    1, -1, 1, new double[] {1, 0}, new double[] {0, Double.NaN}));
    assertEquals("amplitudes_im[1]", nan.field());
    assertEquals(
        "epoch",
        assertThrows(
                InvalidEventException.class,
                () -> EventChecks.checkState(1, 1, 1, new double[] {1, 0}, new double[] {0, 0}))
            .field());
  }

  static RunStarted started(int qubits, long shots, String target) {
    return RunStarted.newBuilder()
        .setExperiment("unit")
        .setModelType("born_machine")
        .setAnsatz("real_amplitudes")
        .setRepetitions(1)
        .setQubits(qubits)
        .setShots(shots)
        .setBackend("none")
        .setOptimizer("none")
        .setSeed(0)
        .setTargetId(target)
        .build();
  }
}

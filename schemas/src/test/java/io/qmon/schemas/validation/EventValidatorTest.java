package io.qmon.schemas.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qmon.schemas.RunStarted;
import io.qmon.schemas.ShotCounts;
import io.qmon.schemas.TargetDistribution;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventValidatorTest {
  private static ShotCounts.Builder valid() {
    return ShotCounts.newBuilder()
        .setRunId("r")
        .setProducerId("p")
        .setSeq(1)
        .setEpoch(0)
        .setEventTime(Instant.EPOCH)
        .setQubits(3)
        .setShots(10)
        .setOutcomes(List.of(0L, 7L))
        .setCounts(List.of(3L, 7L));
  }

  private static Rejection rejection(ShotCounts event) {
    return EventValidator.validate(event).orElseThrow();
  }

  @Test
  void shouldAcceptAConsistentEvent() {
    assertTrue(EventValidator.validate(valid().build()).isEmpty());
  }

  @Test
  void shouldNameTheOffendingFieldOfEveryCountsRule() {
    assertEquals("counts", rejection(valid().setShots(11).build()).field());
    assertEquals("counts[0]", rejection(valid().setCounts(List.of(-3L, 13L)).build()).field());
    assertEquals("outcomes[1]", rejection(valid().setOutcomes(List.of(0L, 8L)).build()).field());
    assertEquals("epoch", rejection(valid().setEpoch(-1).build()).field());
  }

  @Test
  void shouldRejectARunStartWithANegativeRepeatIndex() {
    RunStarted started =
        RunStarted.newBuilder()
            .setExperiment("e")
            .setModelType("born_machine")
            .setAnsatz("a")
            .setRepetitions(1)
            .setQubits(3)
            .setShots(10)
            .setBackend("b")
            .setOptimizer("o")
            .setSeed(0)
            .setTargetId("t")
            .setRepeatIndex(-1)
            .build();
    Rejection r = EventValidator.checkRunStarted(started).orElseThrow();
    assertEquals("INVALID_RUN_START", r.errorType());
    assertEquals("repeat_index", r.field());
  }

  @Test
  void shouldRejectCountsThatDoNotSumToShots() {
    Rejection r = rejection(valid().setShots(11).build());
    assertEquals("COUNTS_NOT_SUMMING_TO_SHOTS", r.errorType());
    assertEquals("counts sum to 10 but shots is 11", r.reason());
  }

  @Test
  void shouldRejectNegativeCountsNamingTheField() {
    Rejection r = rejection(valid().setCounts(List.of(-3L, 13L)).build());
    assertEquals("NEGATIVE_COUNT", r.errorType());
    assertEquals("counts[0] = -3 for outcome 0 is negative", r.reason());
  }

  @Test
  void shouldRejectOutcomesThatDoNotFitTheQubits() {
    Rejection r = rejection(valid().setOutcomes(List.of(0L, 8L)).build());
    assertEquals("OUTCOME_OUT_OF_RANGE", r.errorType());
    assertTrue(r.reason().startsWith("outcomes[1] = 8 does not fit in 3 qubits"), r.reason());
  }

  @Test
  void shouldRejectNonFiniteLosses() {
    Rejection r = rejection(valid().setLosses(Map.of("generator", Double.NaN)).build());
    assertEquals("NON_FINITE_LOSS", r.errorType());
  }

  @Test
  void shouldRejectUnpairedOutcomesAndCounts() {
    assertEquals("INVALID_COUNTS", rejection(valid().setCounts(List.of(10L)).build()).errorType());
  }

  @Test
  void shouldAcceptSixtyThreeQubitOutcomes() {
    ShotCounts wide = valid().setQubits(63).setOutcomes(List.of(Long.MAX_VALUE, 0L)).build();
    assertTrue(EventValidator.validate(wide).isEmpty());
    assertEquals("INVALID_QUBITS", rejection(valid().setQubits(64).build()).errorType());
  }

  @Test
  void shouldRejectTargetsThatDoNotSumToOne() {
    TargetDistribution target =
        TargetDistribution.newBuilder()
            .setTargetId("t")
            .setQubits(1)
            .setDescription("")
            .setOutcomes(List.of(0L, 1L))
            .setProbabilities(List.of(0.5, 0.6))
            .setUpdatedTime(Instant.EPOCH)
            .build();
    Rejection r = EventValidator.validate(target).orElseThrow();
    assertEquals("INVALID_TARGET", r.errorType());
    assertTrue(r.reason().contains("sum to 1.1"), r.reason());
  }
}

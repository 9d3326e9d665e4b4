package io.qmon.schemas.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qmon.schemas.RunEvent;
import io.qmon.schemas.RunFinished;
import io.qmon.schemas.RunStarted;
import io.qmon.schemas.RunStatus;
import io.qmon.schemas.ShotCounts;
import io.qmon.schemas.TargetDistribution;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EventValidatorTest {
  private static final Instant T = Instant.parse("2026-12-01T06:00:00Z");

  private static ShotCounts.Builder valid() {
    return ShotCounts.newBuilder()
        .setRunId("r")
        .setProducerId("p")
        .setSeq(1)
        .setEpoch(0)
        .setEventTime(T)
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

  // ---- bounds of issue 11: every case names its field and has its code ----

  private static void assertRejected(
      Optional<Rejection> rejection, ErrorType type, String field, String inReason) {
    assertTrue(rejection.isPresent(), "expected " + type + " on " + field);
    Rejection r = rejection.get();
    assertEquals(type, r.type(), r.reason());
    assertEquals(field, r.field(), r.reason());
    assertTrue(r.reason().contains(inReason), r.reason());
  }

  private static TargetDistribution.Builder target() {
    return TargetDistribution.newBuilder()
        .setTargetId("t")
        .setQubits(2)
        .setDescription("")
        .setOutcomes(List.of(0L, 3L))
        .setProbabilities(List.of(0.5, 0.5))
        .setUpdatedTime(T);
  }

  private static RunStarted.Builder started() {
    return RunStarted.newBuilder()
        .setExperiment("e")
        .setModelType("born_machine")
        .setAnsatz("a")
        .setRepetitions(1)
        .setQubits(3)
        .setShots(10)
        .setBackend("b")
        .setOptimizer("o")
        .setSeed(0)
        .setTargetId("t");
  }

  private static RunEvent.Builder runEvent(Object payload) {
    return RunEvent.newBuilder()
        .setRunId("r")
        .setProducerId("p")
        .setSeq(0)
        .setEventTime(T)
        .setPayload(payload);
  }

  @Test
  void shouldAcceptAConsistentTargetWithAValueRangeAndAState() {
    double h = Math.sqrt(0.5);
    TargetDistribution t =
        target().setLow(-1.0).setHigh(1.0).setAmplitudesRe(List.of(h, 0.0, 0.0, h)).build();
    assertTrue(EventValidator.validate(t).isEmpty());
  }

  @Test
  void shouldRejectATargetWithAReversedValueRange() {
    assertRejected(
        EventValidator.validate(target().setLow(1.0).setHigh(0.0).build()),
        ErrorType.INVALID_TARGET,
        "low",
        "[low = 1.0, high = 0.0]");
  }

  @Test
  void shouldRejectATargetWithAnEmptyValueRange() {
    assertRejected(
        EventValidator.validate(target().setLow(2.0).setHigh(2.0).build()),
        ErrorType.INVALID_TARGET,
        "low",
        "low < high");
  }

  @Test
  void shouldRejectATargetWithANonFiniteValueRange() {
    assertRejected(
        EventValidator.validate(target().setLow(Double.NaN).setHigh(1.0).build()),
        ErrorType.INVALID_TARGET,
        "low",
        "NaN");
    assertRejected(
        EventValidator.validate(
            target().setLow(-Double.MAX_VALUE).setHigh(Double.MAX_VALUE).build()),
        ErrorType.INVALID_TARGET,
        "low",
        "finite");
  }

  @Test
  void shouldRejectATargetWithOnlyOneEndOfItsRange() {
    assertRejected(
        EventValidator.validate(target().setLow(0.0).build()),
        ErrorType.INVALID_TARGET,
        "high",
        "needs both");
  }

  @Test
  void shouldRejectNegativeAndNonFiniteTargetProbabilities() {
    assertRejected(
        EventValidator.validate(target().setProbabilities(List.of(1.5, -0.5)).build()),
        ErrorType.INVALID_TARGET,
        "probabilities[1]",
        "-0.5");
    assertRejected(
        EventValidator.validate(target().setProbabilities(List.of(Double.NaN, 0.5)).build()),
        ErrorType.INVALID_TARGET,
        "probabilities[0]",
        "NaN");
    assertRejected(
        EventValidator.validate(
            target().setProbabilities(List.of(Double.POSITIVE_INFINITY, 0.5)).build()),
        ErrorType.INVALID_TARGET,
        "probabilities[0]",
        "Infinity");
  }

  @Test
  void shouldRejectATargetListingAnOutcomeTwice() {
    assertRejected(
        EventValidator.validate(target().setOutcomes(List.of(3L, 3L)).build()),
        ErrorType.INVALID_TARGET,
        "outcomes[1]",
        "repeats outcomes[0]");
  }

  @Test
  void shouldRejectATargetOutcomeBeyondItsQubits() {
    assertRejected(
        EventValidator.validate(target().setOutcomes(List.of(0L, 4L)).build()),
        ErrorType.INVALID_TARGET,
        "outcomes[1]",
        "does not fit in 2 qubits");
  }

  @Test
  void shouldRejectADenseTargetBeyondTheOutcomeBound() {
    int n = InputBounds.MAX_TARGET_OUTCOMES + 1;
    List<Long> outcomes = new java.util.ArrayList<>(n);
    List<Double> probabilities = new java.util.ArrayList<>(n);
    for (long x = 0; x < n; x++) {
      outcomes.add(x);
      probabilities.add(1.0 / n);
    }
    assertRejected(
        EventValidator.validate(
            target().setQubits(21).setOutcomes(outcomes).setProbabilities(probabilities).build()),
        ErrorType.INVALID_TARGET,
        "outcomes",
        "at most min(2^qubits, 1048576)");
  }

  @Test
  void shouldRejectATargetStateOfTheWrongLengthNormOrValues() {
    assertRejected(
        EventValidator.validate(target().setAmplitudesRe(List.of(1.0, 0.0)).build()),
        ErrorType.INVALID_TARGET,
        "amplitudes_re",
        "has 2 entries, not 2^2 = 4");
    assertRejected(
        EventValidator.validate(target().setAmplitudesRe(List.of(1.0, 1.0, 0.0, 0.0)).build()),
        ErrorType.INVALID_TARGET,
        "amplitudes_re",
        "squared norm is 2.0");
    assertRejected(
        EventValidator.validate(
            target()
                .setAmplitudesRe(List.of(1.0, 0.0, 0.0, 0.0))
                .setAmplitudesIm(List.of(0.0, Double.NaN, 0.0, 0.0))
                .build()),
        ErrorType.INVALID_TARGET,
        "amplitudes_im[1]",
        "NaN");
    assertRejected(
        EventValidator.validate(
            target()
                .setAmplitudesRe(List.of(1.0, 0.0, 0.0, 0.0))
                .setAmplitudesIm(List.of(0.0, 0.0))
                .build()),
        ErrorType.INVALID_TARGET,
        "amplitudes_im",
        "has 2 entries");
    assertRejected(
        EventValidator.validate(
            target()
                .setQubits(21)
                .setOutcomes(List.of(0L))
                .setProbabilities(List.of(1.0))
                .setAmplitudesRe(List.of(1.0))
                .build()),
        ErrorType.INVALID_TARGET,
        "amplitudes_re",
        "at most 20 qubits");
  }

  @Test
  void shouldRejectCountsWhoseSumOverflowsALong() {
    assertRejected(
        EventValidator.validate(
            valid().setShots(10).setCounts(List.of(Long.MAX_VALUE, Long.MAX_VALUE - 8)).build()),
        ErrorType.INVALID_COUNTS,
        "counts[1]",
        "overflow");
  }

  @Test
  void shouldRejectAnOutcomeListedTwiceInOneEvent() {
    assertRejected(
        EventValidator.validate(
            valid().setOutcomes(List.of(7L, 0L, 7L)).setCounts(List.of(3L, 3L, 4L)).build()),
        ErrorType.DUPLICATE_OUTCOME,
        "outcomes[2]",
        "outcomes[2]: 7 repeats outcomes[0]");
  }

  @Test
  void shouldRejectMoreOutcomesThanShotsOrQubitsAllow() {
    assertRejected(
        EventValidator.validate(
            valid()
                .setShots(2)
                .setOutcomes(List.of(0L, 1L, 2L))
                .setCounts(List.of(1L, 1L, 0L))
                .build()),
        ErrorType.TOO_MANY_ENTRIES,
        "outcomes",
        "at most min(shots = 2, 2^qubits, 65536) = 2");
    List<Long> nine = List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
    assertRejected(
        EventValidator.validate(valid().setShots(100).setOutcomes(nine).setCounts(nine).build()),
        ErrorType.TOO_MANY_ENTRIES,
        "outcomes",
        "= 8 are possible");
  }

  @Test
  void shouldRejectMoreOutcomesThanTheEventBound() {
    int n = InputBounds.MAX_OUTCOMES + 1;
    Long[] outcomes = new Long[n];
    Long[] counts = new Long[n];
    for (int i = 0; i < n; i++) {
      outcomes[i] = (long) i;
      counts[i] = 1L;
    }
    assertRejected(
        EventValidator.validate(
            valid()
                .setQubits(20)
                .setShots(n)
                .setOutcomes(List.of(outcomes))
                .setCounts(List.of(counts))
                .build()),
        ErrorType.TOO_MANY_ENTRIES,
        "outcomes",
        "65536) = 65536");
  }

  @Test
  void shouldRejectShotsAboveTheBound() {
    assertRejected(
        EventValidator.validate(valid().setShots(InputBounds.MAX_SHOTS + 1).build()),
        ErrorType.INVALID_SHOTS,
        "shots",
        "above the largest accepted 1000000000000");
  }

  @Test
  void shouldRejectNegativeAndAbsurdEpochs() {
    assertRejected(
        EventValidator.validate(valid().setEpoch(Integer.MAX_VALUE).build()),
        ErrorType.INVALID_EPOCH,
        "epoch",
        "epoch 2147483647 is above the largest accepted epoch 1000000000");
    assertRejected(
        EventValidator.validate(valid().setEpoch(-1).build()),
        ErrorType.INVALID_EPOCH,
        "epoch",
        "negative");
    assertTrue(EventValidator.validate(valid().setEpoch(InputBounds.MAX_EPOCH).build()).isEmpty());
  }

  @Test
  void shouldRejectEventTimesBefore2000AndAtTheEndOfTime() {
    for (Instant bad :
        List.of(
            Instant.ofEpochMilli(Long.MIN_VALUE),
            Instant.ofEpochMilli(-1),
            Instant.EPOCH,
            Instant.parse("1999-12-31T23:59:59.999Z"),
            Instant.ofEpochMilli(Long.MAX_VALUE))) {
      assertRejected(
          EventValidator.validate(valid().setEventTime(bad).build()),
          ErrorType.INVALID_EVENT_TIME,
          "event_time",
          "is outside [946684800000 (2000-01-01T00:00:00Z)");
    }
    assertTrue(
        EventValidator.validate(valid().setEventTime(Instant.parse("2000-01-01T00:00:00Z")).build())
            .isEmpty());
    assertRejected(
        EventValidator.validate(runEvent(started().build()).setEventTime(Instant.EPOCH).build()),
        ErrorType.INVALID_EVENT_TIME,
        "event_time",
        "outside");
  }

  @Test
  void shouldCapTheLengthOfIdsAndNames() {
    String longId = "r".repeat(InputBounds.MAX_ID_LENGTH + 1);
    assertRejected(
        EventValidator.validate(valid().setRunId(longId).build()),
        ErrorType.FIELD_TOO_LONG,
        "run_id",
        "run_id has 257 characters");
    assertTrue(
        EventValidator.validate(valid().setRunId("r".repeat(InputBounds.MAX_ID_LENGTH)).build())
            .isEmpty());
    assertRejected(
        EventValidator.validate(valid().setProducerId(longId).build()),
        ErrorType.FIELD_TOO_LONG,
        "producer_id",
        "at most 256");
    assertRejected(
        EventValidator.validate(valid().setCircuit(longId).build()),
        ErrorType.FIELD_TOO_LONG,
        "circuit",
        "at most 256");
    assertRejected(
        EventValidator.validate(valid().setProducerSession(longId).build()),
        ErrorType.FIELD_TOO_LONG,
        "producer_session",
        "at most 256");
    assertRejected(
        EventValidator.validate(runEvent(started().build()).setRunId(longId).build()),
        ErrorType.FIELD_TOO_LONG,
        "run_id",
        "at most 256");
    assertRejected(
        EventValidator.validate(runEvent(started().setExperiment("e".repeat(300)).build()).build()),
        ErrorType.FIELD_TOO_LONG,
        "experiment",
        "300 characters");
    assertRejected(
        EventValidator.validate(runEvent(started().setAnsatz("a".repeat(257)).build()).build()),
        ErrorType.FIELD_TOO_LONG,
        "ansatz",
        "at most 256");
    assertRejected(
        EventValidator.validate(target().setTargetId(longId).build()),
        ErrorType.FIELD_TOO_LONG,
        "target_id",
        "at most 256");
    assertRejected(
        EventValidator.validate(target().setDescription("d".repeat(5000)).build()),
        ErrorType.FIELD_TOO_LONG,
        "description",
        "at most 4096");
  }

  @Test
  void shouldCountCharactersAsCodePointsLikePython() {
    String emoji = "\uD83D\uDE00".repeat(InputBounds.MAX_ID_LENGTH);
    assertTrue(EventValidator.validate(valid().setRunId(emoji).build()).isEmpty());
  }

  @Test
  void shouldCapParamsAndTagsInEntriesKeysAndValues() {
    Map<String, String> many = new java.util.HashMap<>();
    for (int i = 0; i <= InputBounds.MAX_MAP_ENTRIES; i++) {
      many.put("k" + i, "v");
    }
    assertRejected(
        EventValidator.validate(runEvent(started().setParams(many).build()).build()),
        ErrorType.TOO_MANY_ENTRIES,
        "params",
        "params has 257 entries; at most 256");
    assertRejected(
        EventValidator.validate(
            runEvent(started().setTags(Map.of("k".repeat(257), "v")).build()).build()),
        ErrorType.FIELD_TOO_LONG,
        "tags",
        "tags has a key of 257 characters");
    assertRejected(
        EventValidator.validate(
            runEvent(started().setTags(Map.of("owner", "v".repeat(1025))).build()).build()),
        ErrorType.FIELD_TOO_LONG,
        "tags[owner]",
        "1025 characters; at most 1024");
    assertRejected(
        EventValidator.validate(runEvent(started().setOptimizerSettings(many).build()).build()),
        ErrorType.TOO_MANY_ENTRIES,
        "optimizer_settings",
        "257 entries");
  }

  @Test
  void shouldCapLossesInCountAndNameLength() {
    Map<String, Double> many = new java.util.HashMap<>();
    for (int i = 0; i <= InputBounds.MAX_LOSSES; i++) {
      many.put("l" + i, 0.5);
    }
    assertRejected(
        EventValidator.validate(valid().setLosses(many).build()),
        ErrorType.TOO_MANY_ENTRIES,
        "losses",
        "losses has 33 entries; at most 32");
    assertRejected(
        EventValidator.validate(valid().setLosses(Map.of("g".repeat(65), 0.5)).build()),
        ErrorType.FIELD_TOO_LONG,
        "losses",
        "65 characters");
    assertRejected(
        EventValidator.validate(valid().setLosses(Map.of("g", Double.NaN)).build()),
        ErrorType.NON_FINITE_LOSS,
        "losses[g]",
        "NaN");
  }

  @Test
  void shouldRejectARunStartWithAnEmptyExperiment() {
    assertRejected(
        EventValidator.validate(runEvent(started().setExperiment(" ").build()).build()),
        ErrorType.INVALID_RUN_START,
        "experiment",
        "experiment is empty");
  }

  @Test
  void shouldRejectAFinishWithAnAbsurdEpochCountOrAHugeMessage() {
    assertRejected(
        EventValidator.validate(runEvent(new RunFinished(RunStatus.SUCCEEDED, -3, null)).build()),
        ErrorType.INVALID_EPOCH,
        "epochs",
        "epochs -3");
    assertRejected(
        EventValidator.validate(
            runEvent(new RunFinished(RunStatus.FAILED, 3, "m".repeat(5000))).build()),
        ErrorType.FIELD_TOO_LONG,
        "message",
        "at most 4096");
  }

  @Test
  void shouldAcceptAttachmentsWithinTheirBounds() {
    Map<String, String> attachments = new java.util.HashMap<>();
    for (int i = 0; i < 16; i++) {
      attachments.put("file-" + i + ".txt", "x".repeat(256 * 1024 / 16));
    }
    assertTrue(
        EventValidator.validate(runEvent(started().setAttachments(attachments).build()).build())
            .isEmpty());
  }

  @Test
  void shouldCapAttachmentsInCountNameAndTotalSize() {
    Map<String, String> many = new java.util.HashMap<>();
    for (int i = 0; i < 17; i++) {
      many.put("f" + i, "");
    }
    assertRejected(
        EventValidator.validate(runEvent(started().setAttachments(many).build()).build()),
        ErrorType.TOO_MANY_ENTRIES,
        "attachments",
        "attachments has 17 entries; at most 16");
    assertRejected(
        EventValidator.validate(
            runEvent(started().setAttachments(Map.of("n".repeat(129), "")).build()).build()),
        ErrorType.FIELD_TOO_LONG,
        "attachments",
        "a name of 129 characters");
    // Two-byte characters: 131,073 of them are 262,146 bytes, past 256 KiB = 262,144.
    assertRejected(
        EventValidator.validate(
            runEvent(started().setAttachments(Map.of("env.txt", "é".repeat(131_073))).build())
                .build()),
        ErrorType.FIELD_TOO_LONG,
        "attachments[env.txt]",
        "more than 262144 bytes");
  }

  @Test
  void shouldRejectAttachmentNamesThatAreNotOneSafeRelativeFileName() {
    for (String name : List.of("../etc/passwd", "run/env.txt", ".hidden", "", "a b", "c:\\x")) {
      assertRejected(
          EventValidator.validate(
              runEvent(started().setAttachments(Map.of(name, "text")).build()).build()),
          ErrorType.INVALID_RUN_START,
          "attachments[" + name + "]",
          "is not a safe relative file name");
    }
  }
}

package io.qmon.jobs.runs;

import static io.qmon.jobs.runs.RunEvents.epoch;
import static io.qmon.jobs.runs.RunEvents.finish;
import static io.qmon.jobs.runs.RunEvents.start;
import static io.qmon.jobs.runs.RunEvents.target;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qmon.jobs.records.InputEvent;
import io.qmon.jobs.runs.Decisions.StateChange;
import io.qmon.jobs.score.EpochScorer;
import io.qmon.metrics.MetricCalculator;
import io.qmon.metrics.MetricNames;
import io.qmon.schemas.Alert;
import io.qmon.schemas.MetricRecord;
import io.qmon.schemas.MetricScope;
import io.qmon.schemas.RunCloseStatus;
import io.qmon.schemas.RunEvent;
import io.qmon.schemas.RunFinished;
import io.qmon.schemas.RunStarted;
import io.qmon.schemas.RunStatus;
import io.qmon.schemas.ShotCounts;
import io.qmon.schemas.TargetDistribution;
import io.qmon.schemas.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The lifecycle alone, with no Flink: this test plays the operator (keeps the state, the pending
 * list, the marks and the armed timers) and moves the clock by hand.
 */
class RunLifecycleTest {
  private static final long TIMEOUT_MS = 10_000;
  private static final long STALL_MS = 60_000;
  private static final long LATENESS_MS = 5_000;

  private final ClosedRuns closed = new ClosedRuns(100);
  private RunLifecycle lifecycle =
      new RunLifecycle(
          new RunSettings(3, TIMEOUT_MS, STALL_MS, LATENESS_MS),
          new EpochScorer(MetricCalculator.withDefaults()),
          closed,
          0);
  private final Map<String, TargetDistribution> targets = new HashMap<>();
  private final List<InputEvent> pending = new ArrayList<>();
  private final List<InputEvent> pendingStates = new ArrayList<>();
  private final Pending waiting =
      new Pending() {
        @Override
        public Iterable<InputEvent> shots() {
          return pending;
        }

        @Override
        public Iterable<InputEvent> states() {
          return pendingStates;
        }
      };
  private final Map<String, Long> marks = new HashMap<>();
  private final List<Long> timers = new ArrayList<>();
  private final List<String> emitted = new ArrayList<>();
  private final List<String> refused = new ArrayList<>();
  private RunState run;
  private MetricRecord lastClosed;
  private final List<MetricRecord> lastRecords = new ArrayList<>();
  private final List<Decisions.Refusal> lastRefusals = new ArrayList<>();
  private final List<Alert> alerts = new ArrayList<>();
  private long now = 1_000_000;

  @BeforeEach
  void noTargets() {
    targets.clear();
  }

  private Decisions send(InputEvent event) {
    Decisions d =
        lifecycle.onEvent("r", run, event, marks.get(Dedup.key(event)), targets::get, waiting, now);
    return apply(d);
  }

  private Decisions apply(Decisions d) {
    lastRecords.addAll(d.records());
    lastRefusals.addAll(d.refusals());
    alerts.addAll(d.alerts());
    for (MetricRecord r : d.records()) {
      emitted.add(r.getScope() + ":" + r.getRecordId());
      if (r.getScope() == MetricScope.RUN_CLOSED) {
        lastClosed = r;
      }
    }
    d.refusals().forEach(r -> refused.add(r.rejection().errorType()));
    for (int i = 0; i < d.timersToCancel(); i++) {
      timers.remove(d.timerToCancel(i));
    }
    for (int i = 0; i < d.timersToArm(); i++) {
      timers.add(d.timerToArm(i));
    }
    if (d.state() == StateChange.UPDATE) {
      if (d.markKey() != null) {
        marks.put(d.markKey(), d.markSeq());
      }
      if (d.clearsPending()) {
        pending.clear();
        pendingStates.clear();
      }
      if (d.toPend() != null) {
        pending.add(d.toPend());
      }
      if (d.stateToPend() != null) {
        pendingStates.add(d.stateToPend());
      }
      run = d.run();
    } else if (d.state() == StateChange.CLEAR) {
      run = null;
      pending.clear();
      pendingStates.clear();
      marks.clear();
    }
    return d;
  }

  /**
   * Moves the clock and fires every timer that became due, in order, also those armed while firing
   * (as Flink's processing-time service does).
   */
  private void advanceTo(long time) {
    now = time;
    while (timers.stream().anyMatch(t -> t <= time)) {
      long t = timers.stream().filter(at -> at <= time).min(Long::compare).orElseThrow();
      timers.remove(t);
      apply(lifecycle.onTimer("r", run, t, now, targets::get, waiting));
    }
  }

  @Test
  void shouldScoreEpochsAndCloseTheRunWhenItsAnnouncedEpochsAreIn() {
    targets.put("t", target());
    send(start("r"));
    send(epoch("r", 1));
    send(epoch("r", 2));
    send(finish("r", 2));
    assertEquals(
        List.of("RUN_OPENED:r/opened", "EPOCH:r/epoch/1", "EPOCH:r/epoch/2", "RUN_CLOSED:r/closed"),
        emitted);
    assertNull(run);
    assertTrue(timers.isEmpty(), "every timer cancelled: " + timers);
    assertEquals(now, closed.closedAt("r"));
  }

  @Test
  void shouldStampRecordsWithTheClockItIsGiven() {
    targets.put("t", target());
    send(start("r"));
    now = 42_000;
    Decisions d = send(epoch("r", 1));
    assertEquals(42_000, d.records().get(0).getProcessedTime().toEpochMilli());
  }

  @Test
  void shouldKeepEpochsThatComeBeforeTheTargetAndScoreThemWhenItArrives() {
    send(start("r"));
    send(epoch("r", 1));
    assertEquals(1, pending.size());
    targets.put("t", target());
    apply(lifecycle.onTarget("r", run, target(), waiting, now));
    assertEquals(List.of("RUN_OPENED:r/opened", "EPOCH:r/epoch/1"), emitted);
    assertTrue(pending.isEmpty());
  }

  @Test
  void shouldRefuseWhatStillWaitsWhenThePendingDeadlinePasses() {
    send(epoch("r", 1));
    advanceTo(now + TIMEOUT_MS - 1);
    assertTrue(refused.isEmpty());
    advanceTo(now + 1);
    assertEquals(List.of("PENDING_TIMEOUT"), refused);
    assertTrue(pending.isEmpty());
  }

  /** Topic, partition and offset of a refusal's source, as its dead letter will carry them. */
  private static String position(Decisions.Refusal refusal) {
    InputEvent source = refusal.source();
    return source.sourceTopic + "/" + source.sourcePartition + "/" + source.sourceOffset;
  }

  @Test
  void shouldRefuseWaitingEventsAtTheDeadlineWithWhereEachWasRead() {
    send(epoch("r", 1).from(Topics.SHOTS, 2, 17));
    send(RunEvents.bell("r", 1).from(Topics.STATES, 1, 5));
    send(epoch("r", 2).from(Topics.SHOTS, 0, 40));
    advanceTo(now + TIMEOUT_MS);
    assertEquals(List.of("PENDING_TIMEOUT", "PENDING_TIMEOUT", "PENDING_TIMEOUT"), refused);
    assertEquals(
        List.of("qgm.shots/2/17", "qgm.shots/0/40", "qgm.states/1/5"),
        lastRefusals.stream().map(RunLifecycleTest::position).toList());
    assertEquals(2, lastRefusals.get(1).source().shots.getEpoch());
  }

  @Test
  void shouldRefuseAWaitingEpochItsTargetDoesNotFitWithWhereItWasRead() {
    send(start("r"));
    ShotCounts threeQubits = RunEvents.shots("r", 1, 1);
    threeQubits.setQubits(3);
    send(InputEvent.of(threeQubits).from(Topics.SHOTS, 1, 99));
    send(epoch("r", 2).from(Topics.SHOTS, 1, 100));
    assertTrue(refused.isEmpty(), "both wait for the target: " + refused);
    targets.put("t", target());
    apply(lifecycle.onTarget("r", run, target(), waiting, now));
    assertEquals(List.of("QUBITS_MISMATCH"), refused);
    assertEquals("qgm.shots/1/99", position(lastRefusals.get(0)));
    assertEquals(List.of("RUN_OPENED:r/opened", "EPOCH:r/epoch/2"), emitted);
  }

  @Test
  void shouldCloseARunThatGoesSilentOnlyAfterTheStallTimeoutSinceItsLastEvent() {
    targets.put("t", target());
    long t0 = now;
    send(start("r"));
    advanceTo(t0 + STALL_MS / 2);
    send(epoch("r", 1));
    advanceTo(t0 + STALL_MS);
    assertTrue(run != null, "the epoch half-way reset the watchdog");
    advanceTo(t0 + STALL_MS / 2 + STALL_MS);
    assertNull(run, "silent for a whole stall timeout");
    assertTrue(emitted.contains("RUN_CLOSED:r/closed"), emitted.toString());
    assertEquals(RunCloseStatus.STALLED, lastClosed.getStatus());
    assertTrue(timers.isEmpty(), timers.toString());
    Alert stalled = alerts.get(alerts.size() - 1);
    assertEquals("run-stalled", stalled.getDetector());
    assertEquals(RunEvents.started().getExperiment(), stalled.getExperiment());
  }

  /** What the operator does on a restore: a new lifecycle, opened at the current time. */
  private void restoreAt(long time) {
    now = time;
    lifecycle =
        new RunLifecycle(
            new RunSettings(3, TIMEOUT_MS, STALL_MS, LATENESS_MS),
            new EpochScorer(MetricCalculator.withDefaults()),
            closed,
            time);
  }

  @Test
  void shouldNotCountAnOutageAgainstAnOpenRunsStallTimeout() {
    targets.put("t", target());
    send(start("r"));
    send(epoch("r", 1));
    long down = now + 1_000;
    restoreAt(down + 3_600_000);
    long resumed = now;
    advanceTo(resumed);
    assertTrue(run != null, "the stall check overdue from before the outage waits again");
    assertEquals(List.of(resumed + STALL_MS), timers);
    advanceTo(resumed + STALL_MS - 1);
    assertTrue(run != null, "less than a stall timeout since the restore");
    advanceTo(resumed + STALL_MS);
    assertNull(run, "silent for a whole stall timeout after the restore");
    assertEquals(RunCloseStatus.STALLED, lastClosed.getStatus());
    assertEquals(resumed + STALL_MS, lastClosed.getProcessedTime().toEpochMilli());
    assertTrue(timers.isEmpty(), timers.toString());
  }

  @Test
  void shouldCountAnEventAfterARestoreFromThatEvent() {
    targets.put("t", target());
    send(start("r"));
    restoreAt(now + 3_600_000);
    long resumed = now;
    advanceTo(resumed + STALL_MS / 2);
    send(epoch("r", 1));
    advanceTo(resumed + STALL_MS);
    assertTrue(run != null, "the epoch after the restore reset the watchdog");
    advanceTo(resumed + STALL_MS / 2 + STALL_MS);
    assertNull(run);
    assertEquals(RunCloseStatus.STALLED, lastClosed.getStatus());
  }

  @Test
  void shouldNotCountAnOutageAgainstThePendingDeadline() {
    send(epoch("r", 1));
    restoreAt(now + 3_600_000);
    long resumed = now;
    advanceTo(resumed + TIMEOUT_MS - 1);
    assertTrue(refused.isEmpty(), "less than the pending timeout since the restore: " + refused);
    assertEquals(1, pending.size());
    send(start("r"));
    targets.put("t", target());
    apply(lifecycle.onTarget("r", run, target(), waiting, now));
    assertEquals(List.of("RUN_OPENED:r/opened", "EPOCH:r/epoch/1"), emitted);
    assertTrue(refused.isEmpty(), refused.toString());
  }

  @Test
  void shouldStillRefuseWhatWaitsAWholePendingTimeoutAfterARestore() {
    send(epoch("r", 1));
    restoreAt(now + 3_600_000);
    advanceTo(now + TIMEOUT_MS);
    assertEquals(List.of("PENDING_TIMEOUT"), refused);
    assertTrue(pending.isEmpty());
  }

  @Test
  void shouldRefuseAnEventOfAClosedRunWithoutOpeningItAgain() {
    targets.put("t", target());
    send(start("r"));
    send(epoch("r", 1));
    send(finish("r", 1));
    Decisions d = send(epoch("r", 2));
    assertEquals(List.of("RUN_CLOSED"), refused);
    assertEquals(StateChange.KEEP, d.state());
    assertNull(run);
  }

  @Test
  void shouldDropARepeatedSequenceNumber() {
    targets.put("t", target());
    send(start("r"));
    send(epoch("r", 1));
    Decisions d = send(epoch("r", 1));
    assertTrue(d.isDuplicate());
    assertEquals(List.of("RUN_OPENED:r/opened", "EPOCH:r/epoch/1"), emitted);
  }

  @Test
  void shouldCloseAFinishedRunWhoseAnnouncedEpochsNeverCome() {
    targets.put("t", target());
    send(start("r"));
    send(epoch("r", 1));
    send(finish("r", 3));
    assertTrue(run != null);
    advanceTo(now + TIMEOUT_MS);
    assertNull(run);
    assertEquals(MetricScope.RUN_CLOSED.name() + ":r/closed", emitted.get(emitted.size() - 1));
    assertEquals(RunCloseStatus.TIMED_OUT, lastClosed.getStatus());
    assertTrue(
        lastClosed.getMessage().contains("announcing 3 epochs; 1 were scored"),
        lastClosed.getMessage());
  }

  private static InputEvent epochOfSession(int epoch, long seq, String session) {
    ShotCounts shots = RunEvents.shots("r", epoch, seq);
    shots.setProducerSession(session);
    return InputEvent.of(shots);
  }

  @Test
  void shouldScoreARestartedProducerWhoseSequenceNumbersStartAgainInANewSession() {
    targets.put("t", target());
    send(start("r"));
    send(epochOfSession(1, 0, "life-1"));
    send(epochOfSession(2, 1, "life-1"));
    send(epochOfSession(3, 0, "life-2"));
    send(epochOfSession(4, 1, "life-2"));
    Decisions repeat = send(epochOfSession(4, 1, "life-2"));
    assertTrue(repeat.isDuplicate(), "a repeat within a session is still a repeat");
    assertEquals(
        List.of(
            "RUN_OPENED:r/opened",
            "EPOCH:r/epoch/1",
            "EPOCH:r/epoch/2",
            "EPOCH:r/epoch/3",
            "EPOCH:r/epoch/4"),
        emitted);
  }

  @Test
  void shouldDropAnEventWithoutSessionWhoseSequenceIsNotAboveTheProducersHighest() {
    targets.put("t", target());
    send(start("r"));
    send(InputEvent.of(RunEvents.shots("r", 1, 5)));
    Decisions d = send(InputEvent.of(RunEvents.shots("r", 2, 0)));
    assertTrue(d.isDuplicate(), "no session: one high-water mark per producer and topic");
    assertEquals(List.of("RUN_OPENED:r/opened", "EPOCH:r/epoch/1"), emitted);
  }

  private static InputEvent epochAt(int epoch, long seq, long eventTimeMillis) {
    ShotCounts shots = RunEvents.shots("r", epoch, seq);
    shots.setEventTime(java.time.Instant.ofEpochMilli(eventTimeMillis));
    return InputEvent.of(shots);
  }

  @Test
  void shouldRefuseAnEpochFarBehindItsOwnRunsLatestEventTime() {
    targets.put("t", target());
    send(start("r"));
    send(epochAt(1, 1, 100_000));
    send(epochAt(2, 2, 100_000 - LATENESS_MS));
    send(epochAt(3, 3, 100_000 - LATENESS_MS - 1));
    assertEquals(List.of("RUN_OPENED:r/opened", "EPOCH:r/epoch/1", "EPOCH:r/epoch/2"), emitted);
    assertEquals(List.of("LATE_EVENT"), refused);
  }

  @Test
  void shouldScoreEpochsReadAfterTheirRunsFinishEventAlthoughItIsMinutesLater() {
    targets.put("t", target());
    send(start("r"));
    send(epochAt(1, 1, 100_000));
    // The producer buffered epoch 2 through a broker outage and finished 4 minutes later; the
    // finish (another topic) is read first.
    RunEvent finished =
        RunEvents.lifecycle(
            "r",
            RunFinished.newBuilder().setStatus(RunStatus.SUCCEEDED).setEpochs(2).build(),
            1_000);
    finished.setEventTime(Instant.ofEpochMilli(100_000 + 240_000));
    send(InputEvent.of(finished));
    send(epochAt(2, 2, 100_001));
    assertTrue(refused.isEmpty(), refused.toString());
    assertEquals(
        List.of("RUN_OPENED:r/opened", "EPOCH:r/epoch/1", "EPOCH:r/epoch/2", "RUN_CLOSED:r/closed"),
        emitted);
  }

  @Test
  void shouldRefuseAnEventAtTheSmallestTimeAsLateInsteadOfOverflowing() {
    targets.put("t", target());
    send(start("r"));
    send(epochAt(1, 1, 100_000));
    Decisions d = send(epochAt(2, 2, Long.MIN_VALUE));
    assertEquals(List.of("LATE_EVENT"), refused);
    assertTrue(
        d.refusals().get(0).rejection().reason().contains("ms behind the latest event time"),
        d.refusals().get(0).rejection().reason());
  }

  @Test
  void shouldScoreARunWhoseClockIsTenMinutesBehindInItsOwnOrder() {
    targets.put("t", target());
    long behind = now - 600_000;
    send(start("r"));
    for (int e = 1; e <= 5; e++) {
      send(epochAt(e, e, behind + e * 1_000L));
    }
    assertEquals(6, emitted.size(), "run opened and five epochs: " + emitted);
    assertTrue(refused.isEmpty(), refused.toString());
  }

  @Test
  void shouldAttachTheHistogramToEveryTenthEpochOnly() {
    targets.put("t", target());
    send(start("r"));
    Decisions ninth = send(epoch("r", 9));
    assertNull(ninth.records().get(0).getHistogram());
    Decisions tenth = send(epoch("r", 10));
    assertEquals(List.of(0L, 3L), tenth.records().get(0).getHistogram().getOutcomes());
    assertEquals(List.of(5L, 5L), tenth.records().get(0).getHistogram().getCounts());
  }

  private MetricRecord lastState() {
    return lastRecords.stream()
        .filter(r -> r.getScope() == MetricScope.STATE)
        .reduce((a, b) -> b)
        .orElseThrow(() -> new AssertionError("no STATE record: " + emitted));
  }

  @Test
  void shouldScoreABellSnapshotWithOneBitOfEntanglementAndFidelityToTheTargetState() {
    TargetDistribution withState = target();
    // Target state |00>: fidelity with the Bell state is |<00|Bell>|^2 = 1/2.
    withState.setAmplitudesRe(List.of(1.0, 0.0, 0.0, 0.0));
    targets.put("t", withState);
    send(start("r"));
    send(RunEvents.bell("r", 4));
    MetricRecord state = lastState();
    assertEquals("r/state/4", state.getRecordId());
    assertEquals(1.0, state.getMetrics().get(MetricNames.ENTANGLEMENT_HALF), 1e-12);
    assertEquals(1.0, state.getMetrics().get(MetricNames.ENTANGLEMENT_SINGLE_MEAN), 1e-12);
    assertEquals(1.0, state.getMetrics().get(MetricNames.MEYER_WALLACH), 1e-12);
    assertEquals(0.5, state.getMetrics().get(MetricNames.STATE_FIDELITY), 1e-12);
  }

  @Test
  void shouldLeaveFidelityOutWhenTheTargetDeclaresNoState() {
    targets.put("t", target());
    send(start("r"));
    send(RunEvents.bell("r", 1));
    assertNull(lastState().getMetrics().get(MetricNames.STATE_FIDELITY));
  }

  @Test
  void shouldRefuseSnapshotsThatAreNotAValidStateOfTheRun() {
    targets.put("t", target());
    send(start("r"));
    send(
        InputEvent.of(RunEvents.snapshot("r", 1, 1, List.of(1.0, 1.0, 0.0, 0.0), RunEvents.ZEROS)));
    send(InputEvent.of(RunEvents.snapshot("r", 2, 2, List.of(1.0, 0.0), List.of(0.0, 0.0))));
    send(InputEvent.of(RunEvents.snapshot("r", 3, 3, RunEvents.BELL_RE, List.of(0.0, 0.0))));
    send(
        InputEvent.of(
            RunEvents.snapshot("r", 4, 4, List.of(Double.NaN, 0.0, 0.0, 0.0), RunEvents.ZEROS)));
    assertEquals(
        List.of("INVALID_STATE", "QUBITS_MISMATCH", "INVALID_STATE", "INVALID_STATE"), refused);
    assertTrue(
        lastRefusals.get(2).rejection().reason().contains("amplitudes_im has 2 amplitudes"),
        lastRefusals.get(2).rejection().reason());
  }

  @Test
  void shouldKeepASnapshotThatComesBeforeTheRunStartsAndScoreItOnceItCan() {
    targets.put("t", target());
    send(RunEvents.bell("r", 1));
    assertEquals(1, pendingStates.size());
    assertTrue(emitted.isEmpty());
    send(start("r"));
    assertEquals(List.of("RUN_OPENED:r/opened", "STATE:r/state/1"), emitted);
    assertTrue(pendingStates.isEmpty());
  }

  @Test
  void shouldRefuseAWaitingSnapshotAtThePendingDeadline() {
    send(RunEvents.bell("r", 1));
    advanceTo(now + TIMEOUT_MS);
    assertEquals(List.of("PENDING_TIMEOUT"), refused);
    assertTrue(pendingStates.isEmpty());
  }

  @Test
  void shouldReArmTheTimersARunNamesWhenRecoveringFromAFailure() {
    targets.put("t", target());
    send(start("r"));
    send(finish("r", 2));
    Decisions d = lifecycle.recover(run);
    assertEquals(StateChange.UPDATE, d.state());
    assertEquals(2, d.timersToArm());
    assertEquals(run.pendingDeadline, d.timerToArm(0));
    assertEquals(run.stallCheck, d.timerToArm(1));
  }

  @Test
  void shouldRefuseAnEpochFarAheadWithoutPoisoningTheRestOfItsRun() {
    targets.put("t", target());
    send(start("r"));
    send(InputEvent.of(RunEvents.shots("r", 1, 1)));
    send(InputEvent.of(RunEvents.shots("r", Integer.MAX_VALUE, 2)));
    send(InputEvent.of(RunEvents.shots("r", 2, 3)));
    send(InputEvent.of(RunEvents.shots("r", 2 + RunSettings.DEFAULT_MAX_EPOCH_JUMP, 4)));
    assertEquals(List.of("INVALID_EPOCH"), refused);
    assertEquals(
        List.of(
            "RUN_OPENED:r/opened",
            "EPOCH:r/epoch/1",
            "EPOCH:r/epoch/2",
            "EPOCH:r/epoch/" + (2 + RunSettings.DEFAULT_MAX_EPOCH_JUMP)),
        emitted);
  }

  @Test
  void shouldRefuseAFirstEpochBeyondTheJumpBound() {
    targets.put("t", target());
    send(start("r"));
    send(InputEvent.of(RunEvents.shots("r", RunSettings.DEFAULT_MAX_EPOCH_JUMP + 1, 1)));
    send(InputEvent.of(RunEvents.shots("r", 0, 2)));
    assertEquals(List.of("INVALID_EPOCH"), refused);
  }

  @Test
  void shouldJudgeEpochsGoingBackPerRunOnly() {
    targets.put("t", target());
    send(start("r"));
    send(InputEvent.of(RunEvents.shots("r", 1_000, 1)));
    send(InputEvent.of(RunEvents.shots("r", 2, 2)));
    assertEquals(List.of("EPOCH_BACKWARDS"), refused);
    run = null;
    pending.clear();
    marks.clear();
    refused.clear();
    send(start("r"));
    send(InputEvent.of(RunEvents.shots("r", 2, 2)));
    assertTrue(refused.isEmpty(), "another run's state knows nothing of that epoch: " + refused);
  }

  @Test
  void shouldReportConfiguredCutsThatFitTheSnapshotAndSkipTheOthers() {
    RunLifecycle withCuts =
        new RunLifecycle(
            new RunSettings(
                3,
                TIMEOUT_MS,
                STALL_MS,
                LATENESS_MS,
                10,
                4096,
                16,
                List.of(new int[] {1}, new int[] {0, 5}),
                RunSettings.DEFAULT_MAX_EPOCH_JUMP),
            new EpochScorer(MetricCalculator.withDefaults()),
            closed,
            0);
    targets.put("t", target());
    RunState open = withCuts.onEvent("r", null, start("r"), null, targets::get, waiting, now).run();
    Decisions d =
        withCuts.onEvent("r", open, RunEvents.bell("r", 1), null, targets::get, waiting, now);
    Map<String, Double> metrics = d.records().get(0).getMetrics();
    assertEquals(1.0, metrics.get(MetricNames.entanglementCut(1)), 1e-12);
    assertNull(metrics.get(MetricNames.entanglementCut(0, 5)), "qubit 5 is not in a 2-qubit state");
  }

  @Test
  void shouldPassTheAttachmentsOnRunOpenedAndKeepThemOutOfTheRunsState() {
    targets.put("t", target());
    Map<String, String> attachments =
        Map.of("environment.txt", "qiskit==2.2.1\n", "circuit.qasm", "OPENQASM 3.0;\nqubit[2] q;");
    send(
        InputEvent.of(
            RunEvents.lifecycle(
                "r",
                RunStarted.newBuilder(RunEvents.started()).setAttachments(attachments).build(),
                0)));
    MetricRecord opened = lastRecords.get(0);
    assertEquals(MetricScope.RUN_OPENED, opened.getScope());
    assertEquals(attachments, opened.getAttachments());
    assertTrue(run.started.getAttachments().isEmpty(), "keyed state keeps no attachments");
    send(epoch("r", 1));
    send(finish("r", 1));
    assertEquals(Map.of(), lastClosed.getAttachments());
  }
}

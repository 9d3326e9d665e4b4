package io.qmon.jobs.runs;

import io.qmon.jobs.records.InputEvent;
import io.qmon.schemas.RunEvent;
import io.qmon.schemas.RunFinished;
import io.qmon.schemas.RunStarted;
import io.qmon.schemas.RunStatus;
import io.qmon.schemas.ShotCounts;
import io.qmon.schemas.StateSnapshot;
import io.qmon.schemas.TargetDistribution;
import java.time.Instant;
import java.util.List;

/** Small hand-written events for the lifecycle's tests: a 2-qubit target "t" over {0, 3}. */
final class RunEvents {
  private RunEvents() {}

  static TargetDistribution target() {
    return TargetDistribution.newBuilder()
        .setTargetId("t")
        .setQubits(2)
        .setDescription("")
        .setOutcomes(List.of(0L, 3L))
        .setProbabilities(List.of(0.5, 0.5))
        .setUpdatedTime(Instant.EPOCH)
        .build();
  }

  static RunStarted started() {
    return RunStarted.newBuilder()
        .setExperiment("e")
        .setModelType("born_machine")
        .setAnsatz("a")
        .setRepetitions(1)
        .setQubits(2)
        .setShots(10)
        .setBackend("b")
        .setOptimizer("o")
        .setSeed(1)
        .setTargetId("t")
        .build();
  }

  static InputEvent start(String run) {
    return InputEvent.of(lifecycle(run, started(), 0));
  }

  static InputEvent finish(String run, int epochs) {
    return InputEvent.of(
        lifecycle(
            run,
            RunFinished.newBuilder().setStatus(RunStatus.SUCCEEDED).setEpochs(epochs).build(),
            1_000));
  }

  static RunEvent lifecycle(String run, Object payload, long seq) {
    return RunEvent.newBuilder()
        .setRunId(run)
        .setProducerId("p")
        .setSeq(seq)
        .setEventTime(Instant.EPOCH)
        .setPayload(payload)
        .build();
  }

  static ShotCounts shots(String run, int epoch, long seq) {
    return ShotCounts.newBuilder()
        .setRunId(run)
        .setProducerId("p")
        .setSeq(seq)
        .setEpoch(epoch)
        .setEventTime(Instant.EPOCH)
        .setQubits(2)
        .setShots(10)
        .setOutcomes(List.of(0L, 3L))
        .setCounts(List.of(5L, 5L))
        .build();
  }

  static InputEvent epoch(String run, int epoch) {
    return InputEvent.of(shots(run, epoch, epoch));
  }

  /** (|00> + |11>)/sqrt(2) over qubits 0 and 1. */
  static final List<Double> BELL_RE = List.of(Math.sqrt(0.5), 0.0, 0.0, Math.sqrt(0.5));

  static final List<Double> ZEROS = List.of(0.0, 0.0, 0.0, 0.0);

  static StateSnapshot snapshot(String run, int epoch, long seq, List<Double> re, List<Double> im) {
    return StateSnapshot.newBuilder()
        .setRunId(run)
        .setProducerId("p")
        .setSeq(seq)
        .setEpoch(epoch)
        .setEventTime(Instant.EPOCH)
        .setQubits(Integer.numberOfTrailingZeros(re.size()))
        .setAmplitudesRe(re)
        .setAmplitudesIm(im)
        .build();
  }

  static InputEvent bell(String run, int epoch) {
    return InputEvent.of(snapshot(run, epoch, epoch, BELL_RE, ZEROS));
  }
}

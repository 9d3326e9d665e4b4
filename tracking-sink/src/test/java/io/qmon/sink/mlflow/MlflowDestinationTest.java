package io.qmon.sink.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qmon.schemas.MetricRecord;
import io.qmon.schemas.MetricScope;
import io.qmon.schemas.RunCloseStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mlflow.api.proto.Service.RunStatus;
import org.mlflow.tracking.MlflowClientException;
import org.mlflow.tracking.MlflowHttpException;

/** Run registry, points and finaliser over a recording {@link MlflowApi}. */
class MlflowDestinationTest {
  private final RecordingMlflow mlflow = new RecordingMlflow();
  private final WriterStats stats = new WriterStats();
  private final MlflowWriter.Shared shared = new MlflowWriter.Shared();

  private MlflowDestination destination() {
    return new MlflowDestination(mlflow, shared, stats, 1000);
  }

  @Test
  void shouldCreateTheRunOnOpenWithParamsAndTagsAndNestSweepRepeats() {
    MlflowDestination destination = destination();
    destination.open(TestRecords.opened("plain"));
    MetricRecord repeat = TestRecords.opened("rep-0");
    repeat.setConfigId("cfg");
    destination.open(repeat);

    RecordingMlflow.StoredRun plain = mlflow.named("plain").get(0);
    assertEquals(Map.of("ansatz", "RealAmplitudes", "qubits", "2"), plain.params);
    assertEquals("q", plain.tags.get("team"));
    assertEquals("plain", plain.tags.get(RunDescription.RUN_ID_TAG));
    assertEquals("exp", plain.tags.get(RunDescription.EXPERIMENT_TAG));
    assertEquals("true", plain.tags.get(RunDescription.OPENED_TAG));
    RecordingMlflow.StoredRun parent = mlflow.named("sweep-cfg").get(0);
    assertEquals(parent.id, mlflow.named("rep-0").get(0).tags.get(RunDescription.PARENT_TAG));
    assertEquals(3, stats.runsCreated());
  }

  @Test
  void shouldRememberEachRunsMlflowPageForTheAlertLinks() {
    assertEquals(Optional.empty(), shared.runPage("plain"));
    destination().open(TestRecords.opened("plain"));
    destination().write("late", List.of(TestRecords.epoch("late", 3, 0.2)));

    for (String run : List.of("plain", "late")) {
      RecordingMlflow.StoredRun stored = mlflow.named(run).get(0);
      assertEquals(
          Optional.of("#/experiments/" + stored.experimentId + "/runs/" + stored.id),
          shared.runPage(run));
    }
    // A restarted sink finds the run by its tag and knows its page again.
    MlflowWriter.Shared restarted = new MlflowWriter.Shared();
    new MlflowDestination(mlflow, restarted, stats, 1000)
        .write("plain", List.of(TestRecords.epoch("plain", 4, 0.1)));
    assertEquals(shared.runPage("plain"), restarted.runPage("plain"));
  }

  @Test
  void shouldCreateARunFromAMetricRecordWhenItsOpenWasNotSeenAndCompleteItLater() {
    destination().write("late", List.of(TestRecords.epoch("late", 3, 0.2)));
    RecordingMlflow.StoredRun run = mlflow.named("late").get(0);
    assertEquals("false", run.tags.get(RunDescription.OPENED_TAG));
    assertTrue(run.params.isEmpty(), "no params without the RUN_OPENED record");
    assertEquals(1, stats.runsCreatedWithoutOpen());

    // A RUN_OPENED that arrives afterwards (another partition) completes the same run.
    destination().open(TestRecords.opened("late"));
    assertEquals(1, mlflow.named("late").size());
    assertEquals("true", run.tags.get(RunDescription.OPENED_TAG));
    assertEquals("RealAmplitudes", run.params.get("ansatz"));
  }

  @Test
  void shouldWriteLossAndStateCurvesWithEpochStepsAndNeverDoubleAPointAfterARestart() {
    List<MetricRecord> records =
        List.of(
            TestRecords.epoch("r", 1, 0.4),
            TestRecords.epoch("r", 2, 0.2),
            TestRecords.base("r", MetricScope.STATE, 2)
                .setMetrics(Map.of("meyer_wallach", 0.75))
                .build());
    destination().write("r", records);
    // A restarted sink (new destination, empty memory) replays the same records.
    destination().write("r", records);
    RecordingMlflow.StoredRun run = mlflow.named("r").get(0);
    assertEquals(7, run.points.size(), "2 x (jsd, loss, floor) + 1 state point, once each");
    assertEquals(7, stats.duplicatesSkipped());
    assertEquals(
        List.of(1L, 2L),
        run.points.stream()
            .filter(p -> p.getKey().equals("loss.generator"))
            .map(p -> p.getStep())
            .toList());
    assertEquals(
        0.8,
        run.points.stream()
            .filter(p -> p.getKey().equals("loss.generator"))
            .findFirst()
            .orElseThrow()
            .getValue(),
        1e-12,
        "loss.generator of epoch 1 is twice its jsd of 0.4");
  }

  @Test
  void shouldCloseWithSummaryArtifactsMappedStatusAndFinishTheSweepParent() {
    MlflowDestination destination = destination();
    MetricRecord opened = TestRecords.opened("s0");
    opened.setConfigId("cfg");
    destination.open(opened);
    MetricRecord closed = TestRecords.closed("s0", 4, RunCloseStatus.STALLED);
    closed.setConfigId("cfg");
    destination.close(closed);

    RecordingMlflow.StoredRun run = mlflow.named("s0").get(0);
    assertEquals(RunStatus.FAILED, run.status);
    assertEquals("true", run.tags.get(RunFinaliser.STALLED_TAG));
    assertEquals("STALLED", run.tags.get(RunFinaliser.STATUS_TAG));
    assertEquals("done", run.tags.get(RunFinaliser.MESSAGE_TAG));
    assertEquals(closed.getEventTime().toEpochMilli(), run.endTime);
    assertEquals(
        0.05,
        run.points.stream()
            .filter(p -> p.getKey().equals("summary.best_jsd"))
            .findFirst()
            .orElseThrow()
            .getValue());
    assertTrue(
        run.artifacts
            .keySet()
            .containsAll(
                List.of(RunArtifacts.DISTRIBUTIONS, RunArtifacts.HISTOGRAM, RunArtifacts.CURVES)));
    String json = new String(run.artifacts.get(RunArtifacts.DISTRIBUTIONS));
    assertTrue(json.contains("\"3\" : 0.4"), json);
    assertEquals(RunStatus.FINISHED, mlflow.named("sweep-cfg").get(0).status);
  }

  @Test
  void shouldUploadADistributionSnapshotPerHistogramRecordWhileTheRunIsLiveAndOverwriteOnReplay() {
    MlflowDestination destination = destination();
    destination.open(TestRecords.opened("live"));
    MetricRecord tenth = TestRecords.epoch("live", 10, 0.1);
    tenth.setHistogram(TestRecords.closed("live", 10, RunCloseStatus.SUCCEEDED).getHistogram());
    destination.write("live", List.of(TestRecords.epoch("live", 9, 0.2), tenth));
    RecordingMlflow.StoredRun run = mlflow.named("live").get(0);
    assertEquals(
        List.of("distribution/epoch-00010.png", "distribution/epoch-00010.csv"),
        List.copyOf(run.artifacts.keySet()),
        "one snapshot, for the one record with a histogram, before the run closes");
    assertEquals(1, stats.snapshotsUploaded());

    // A replay (sink restart before the commit) writes the same paths again: nothing doubles.
    destination.write("live", List.of(tenth));
    assertEquals(2, run.artifacts.size());
    assertEquals(
        "outcome,label,count,generated,target\n0,00,60,0.6,0.5\n3,11,40,0.4,0.5\n",
        new String(run.artifacts.get("distribution/epoch-00010.csv")));
  }

  @Test
  void shouldNestARunCreatedBeforeItsOpenUnderItsConfigurationWhenTheOpenArrives() {
    MlflowDestination destination = destination();
    destination.write("early", List.of(TestRecords.epoch("early", 1, 0.3)));
    MetricRecord opened = TestRecords.opened("early");
    opened.setConfigId("cfg-late");
    destination.open(opened);
    RecordingMlflow.StoredRun parent = mlflow.named("sweep-cfg-late").get(0);
    assertEquals(parent.id, mlflow.named("early").get(0).tags.get(RunDescription.PARENT_TAG));
  }

  @Test
  void shouldMapEveryCloseStatus() {
    assertEquals(RunStatus.FINISHED, RunFinaliser.mlflowStatus(RunCloseStatus.SUCCEEDED));
    assertEquals(RunStatus.FAILED, RunFinaliser.mlflowStatus(RunCloseStatus.FAILED));
    assertEquals(RunStatus.FAILED, RunFinaliser.mlflowStatus(RunCloseStatus.TIMED_OUT));
    assertEquals(RunStatus.FAILED, RunFinaliser.mlflowStatus(RunCloseStatus.STALLED));
    assertEquals(RunStatus.KILLED, RunFinaliser.mlflowStatus(RunCloseStatus.KILLED));
  }

  @Test
  void shouldTellRefusedCredentialsFromARejectedRunFromATransientError() {
    assertInstanceOf(
        UnauthorizedException.class,
        MlflowDestination.classify("r", "x", new MlflowHttpException(401, "Unauthorized", "")));
    assertInstanceOf(
        UnauthorizedException.class,
        MlflowDestination.classify("r", "x", new MlflowHttpException(403, "Forbidden", "")));
    assertInstanceOf(
        RunRejectedException.class,
        MlflowDestination.classify(
            "r", "x", new MlflowHttpException(400, "Bad Request", "INVALID_PARAMETER_VALUE")));
    MlflowHttpException busy = new MlflowHttpException(429, "Too Many Requests", "");
    assertSame(busy, MlflowDestination.classify("r", "x", busy));
    MlflowHttpException down = new MlflowHttpException(503, "Unavailable", "");
    assertSame(down, MlflowDestination.classify("r", "x", down));
  }

  @Test
  void shouldRejectTheRunWhenMlflowRefusesItsExperiment() {
    mlflow.failNext(new MlflowHttpException(400, "Bad Request", "Invalid experiment name: ''"));
    MetricRecord opened = TestRecords.opened("noexp");
    opened.setExperiment("");
    RuntimeException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            RunRejectedException.class, () -> destination().open(opened));
    assertTrue(e.getMessage().contains("Invalid experiment name"), e.getMessage());
  }

  @Test
  void shouldRetryWhenMlflowDoesNotAnswerButRejectARunWhoseDataFails() {
    MlflowClientException noAnswer =
        new MlflowClientException(new java.net.SocketTimeoutException("Read timed out"));
    mlflow.failNext(noAnswer);
    assertSame(
        noAnswer,
        org.junit.jupiter.api.Assertions.assertThrows(
            MlflowClientException.class, () -> destination().open(TestRecords.opened("r"))));
    RunRejectedException poison =
        org.junit.jupiter.api.Assertions.assertThrows(
            RunRejectedException.class,
            () ->
                MlflowDestination.call(
                    "r",
                    "drawing the histogram",
                    () -> {
                      throw new IllegalArgumentException("outcomes and counts differ in length");
                    }));
    assertTrue(poison.getMessage().contains("outcomes and counts differ"), poison.getMessage());
  }
}

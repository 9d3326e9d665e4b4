package io.qmon.sink.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qmon.schemas.SweepSummary;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.RunStatus;

/** Sweep summaries onto configuration parents and the experiment's sweep run. */
class SweepWriterTest {
  private final RecordingMlflow mlflow = new RecordingMlflow();
  private final WriterStats stats = new WriterStats();
  private final MlflowWriter.Shared shared = new MlflowWriter.Shared();

  private static SweepSummary summary(
      String config, int runs, int rank, int configurations, long at, double ksMean, long ranking) {
    return SweepSummary.newBuilder()
        .setRanking(ranking)
        .setExperiment("exp")
        .setConfigId(config)
        .setRuns(runs)
        .setRank(rank)
        .setConfigurations(configurations)
        .setUpdatedTime(Instant.ofEpochMilli(TestRecords.T0 + at))
        .setStatistics(
            Map.of(
                "final_ks_mean",
                ksMean,
                "final_ks_std",
                0.01,
                "final_ks_ci_low",
                ksMean - 0.02,
                "final_ks_ci_high",
                ksMean + 0.02,
                "final_kl_mean",
                2 * ksMean,
                "final_kl_std",
                0.03,
                "final_jsd_mean",
                Double.NaN))
        .build();
  }

  private static double latest(RecordingMlflow.StoredRun run, String key) {
    // MLflow's latest value: highest step, then highest timestamp.
    return run.points.stream()
        .filter(p -> p.getKey().equals(key))
        .max(
            java.util.Comparator.comparingLong(Metric::getStep)
                .thenComparingLong(Metric::getTimestamp))
        .orElseThrow()
        .getValue();
  }

  @Test
  void shouldWriteEachConfigurationsStatisticsToItsParentAndTheTableToTheSweepRun()
      throws Exception {
    // A repeat of cfg-a was written by the metrics lanes first: its parent already exists.
    MlflowDestination lanes = new MlflowDestination(mlflow, shared, stats, 1000);
    var repeat = TestRecords.opened("a-0");
    repeat.setConfigId("cfg-a");
    lanes.open(repeat);

    SweepWriter writer = new SweepWriter(mlflow, shared, stats);
    writer.accept(summary("cfg-a", 2, 1, 1, 10, 0.10, 1));
    writer.accept(summary("cfg-b", 2, 1, 2, 20, 0.05, 2));
    // The job re-ranks cfg-a after cfg-b's repeat: same runs and update time, new rank.
    writer.accept(summary("cfg-a", 2, 2, 2, 10, 0.10, 2));
    writer.writeTables();

    assertEquals(1, mlflow.named("sweep-cfg-a").size(), "the lanes' parent is reused");
    RecordingMlflow.StoredRun a = mlflow.named("sweep-cfg-a").get(0);
    RecordingMlflow.StoredRun sweep = mlflow.named("sweep-exp").get(0);
    assertEquals(0.10, latest(a, "sweep.final_ks_mean"));
    assertEquals(0.08, latest(a, "sweep.final_ks_ci_low"), 1e-12);
    assertEquals(0.20, latest(a, "sweep.final_kl_mean"), 1e-12);
    assertEquals(2.0, latest(a, SweepWriter.RANK_METRIC), "the re-rank is the latest point");
    assertEquals(2.0, latest(a, SweepWriter.RUNS_METRIC));
    assertTrue(a.points.stream().noneMatch(p -> p.getKey().equals("sweep.final_jsd_mean")), "NaN");
    assertEquals("2", a.tags.get(SweepWriter.RANK_TAG));
    assertEquals(sweep.id, a.tags.get(RunDescription.PARENT_TAG), "configurations nest");
    assertEquals("exp", sweep.tags.get(SweepParents.SWEEP_EXPERIMENT_TAG));
    assertEquals("cfg-b", sweep.tags.get(SweepWriter.BEST_TAG));
    assertEquals(RunStatus.FINISHED, sweep.status);

    String csv = new String(sweep.artifacts.get(SweepWriter.TABLE_CSV), StandardCharsets.UTF_8);
    String[] lines = csv.split("\n");
    assertEquals(3, lines.length, csv);
    assertTrue(lines[0].startsWith("config_id,rank,runs,final_ks_mean,final_ks_std"), lines[0]);
    assertTrue(lines[1].startsWith("cfg-b,1,2,0.05,0.01,"), "rank order: " + lines[1]);
    assertTrue(lines[2].startsWith("cfg-a,2,2,0.1,0.01,"), lines[2]);
    String markdown =
        new String(sweep.artifacts.get(SweepWriter.TABLE_MARKDOWN), StandardCharsets.UTF_8);
    assertTrue(
        markdown.contains(
            "| configuration | rank | runs | μ KS | σ KS | μ KL (relative entropy) | σ KL (relative"
                + " entropy) | μ JSD | σ JSD |"),
        markdown);
    assertTrue(markdown.contains("| cfg-b | 1 | 2 | 0.05000 | 0.01000 | 0.1000 | 0.03000 |"));
    assertTrue(sweep.artifacts.get(SweepWriter.TABLE_CHART).length > 1000);
    assertEquals(Set.of(), writer.pendingTables());

    // A restart re-reads the compacted topic: no new point, no new run.
    int points = a.points.size();
    long created = stats.runsCreated();
    SweepWriter restarted = new SweepWriter(mlflow, new MlflowWriter.Shared(), stats);
    restarted.accept(summary("cfg-b", 2, 1, 2, 20, 0.05, 2));
    restarted.accept(summary("cfg-a", 2, 2, 2, 10, 0.10, 2));
    restarted.writeTables();
    assertEquals(points, a.points.size());
    assertEquals(created, stats.runsCreated());
  }

  @Test
  void shouldKeepTheJobsLatestRankingWhenTheReRankingUpdateIsOlderThanTheConfigurations()
      throws Exception {
    // cfg-a finished both repeats (updated at 30) before cfg-b's first repeat reached the job,
    // though cfg-b's run closed earlier (updated at 20): the re-ranking carries no newer time.
    SweepWriter writer = new SweepWriter(mlflow, shared, stats);
    writer.accept(summary("cfg-a", 1, 1, 1, 25, 0.10, 1));
    writer.accept(summary("cfg-a", 2, 1, 1, 30, 0.10, 2));
    writer.accept(summary("cfg-a", 2, 2, 2, 30, 0.10, 3));
    writer.accept(summary("cfg-b", 1, 1, 2, 20, 0.05, 3));
    writer.writeTables();

    RecordingMlflow.StoredRun a = mlflow.named("sweep-cfg-a").get(0);
    assertEquals(2.0, latest(a, SweepWriter.CONFIGURATIONS_METRIC), "two configurations now");
    assertEquals(2.0, latest(a, SweepWriter.RANK_METRIC), "cfg-b ranks first");
    assertEquals("2", a.tags.get(SweepWriter.CONFIGURATIONS_TAG));
  }
}

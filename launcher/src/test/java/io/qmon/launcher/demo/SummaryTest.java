package io.qmon.launcher.demo;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qmon.schemas.SweepSummary;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When the demo may stop waiting for the job's sweep ranking. */
class SummaryTest {
  private static final Map<String, Integer> REPEATS = Map.of("a", 2, "b", 2);

  private static SweepSummary summary(String config, int rank, int configurations) {
    return SweepSummary.newBuilder()
        .setExperiment("demo")
        .setConfigId(config)
        .setRuns(2)
        .setStatistics(Map.of())
        .setRank(rank)
        .setConfigurations(configurations)
        .setUpdatedTime(Instant.EPOCH)
        .build();
  }

  @Test
  void shouldWaitWhileAConfigurationWasLastReadFromAnOlderRanking() {
    // a's final repeat was ranked alone; b's summary was read before a's re-ranking.
    assertFalse(
        Summary.rankingSettled(Map.of("a", summary("a", 1, 1), "b", summary("b", 1, 2)), REPEATS));
    // Both counted, but a still carries the rank b took from it.
    assertFalse(
        Summary.rankingSettled(Map.of("a", summary("a", 1, 2), "b", summary("b", 1, 2)), REPEATS));
    assertFalse(Summary.rankingSettled(Map.of("b", summary("b", 1, 2)), REPEATS), "a unseen");
  }

  @Test
  void shouldSettleOnOneRankingOfEveryConfiguration() {
    assertTrue(
        Summary.rankingSettled(Map.of("a", summary("a", 2, 2), "b", summary("b", 1, 2)), REPEATS));
    // Configurations of an earlier demo in the same experiment count too.
    assertTrue(
        Summary.rankingSettled(Map.of("a", summary("a", 3, 3), "b", summary("b", 1, 3)), REPEATS));
  }
}

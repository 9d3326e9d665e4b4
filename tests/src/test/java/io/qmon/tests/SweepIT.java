package io.qmon.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qmon.launcher.sweep.SweepCommand;
import io.qmon.launcher.sweep.SweepOptions;
import io.qmon.schemas.SweepSummary;
import io.qmon.schemas.Topics;
import io.qmon.schemas.serde.RestSchemaRegistry;
import io.qmon.stack.EmbeddedStack;
import io.qmon.stack.StackSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code qmon sweep} end to end: a grid of two configurations with two repeats each is trained and
 * published against the embedded stack; the command reads every run's final metrics back, and the
 * monitoring job aggregates the repeats of each configuration and ranks the configurations on
 * qgm.sweeps.
 */
class SweepIT {
  private static EmbeddedStack stack;

  @BeforeAll
  static void startStack() throws Exception {
    stack = EmbeddedStack.start(StackSettings.fromSystemProperties());
    stack.startMonitoringJob(
        stack.jobConfig(Map.of("job.parallelism", "2", "kafka.group-id", "it-sweep")));
  }

  @AfterAll
  static void stopStack() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void shouldAggregateRepeatsPerConfigurationAndRankTheConfigurations(@TempDir Path dir)
      throws Exception {
    String experiment = "it-sweep-" + UUID.randomUUID().toString().substring(0, 8);
    Path config = dir.resolve("sweep.json");
    Files.writeString(
        config,
        """
        {
          "experiment": "%s",
          "model": "born_machine",
          "target": "normal",
          "loss": "jsd",
          "entanglement": "linear",
          "ansatze": ["real_amplitudes"],
          "repetitions": [1, 2],
          "initialisations": ["uniform"],
          "qubits": [3],
          "learning_rates": ["auto"],
          "repeats": 2,
          "epochs": 6,
          "shots": 256,
          "parallel_workers": 2,
          "seed": 1,
          "epoch_interval_ms": 0
        }
        """
            .formatted(experiment));
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    int exit =
        SweepCommand.run(
            SweepOptions.parse(
                new String[] {
                  config.toString(),
                  "--bootstrap-servers",
                  stack.bootstrapServers(),
                  "--schema-registry-url",
                  stack.schemaRegistryUrl(),
                  "--metrics-timeout-s",
                  "120"
                }),
            new PrintStream(printed, true, StandardCharsets.UTF_8));
    String output = printed.toString(StandardCharsets.UTF_8);
    assertEquals(0, exit, "every run finished and was scored:\n" + output);

    List<SweepSummary> summaries =
        TopicReader.readUntil(
            stack.bootstrapServers(),
            new RestSchemaRegistry(stack.schemaRegistryUrl()),
            Topics.SWEEPS,
            SweepSummary.SCHEMA$,
            records -> complete(latest(records, experiment)),
            Duration.ofMinutes(2));
    Map<String, SweepSummary> latest = latest(summaries, experiment);
    assertTrue(complete(latest), "both configurations aggregated over 2 repeats: " + latest);

    List<SweepSummary> byRank =
        latest.values().stream()
            .sorted((a, b) -> Integer.compare(a.getRank(), b.getRank()))
            .toList();
    assertEquals(List.of(1, 2), byRank.stream().map(SweepSummary::getRank).toList());
    double best = byRank.get(0).getStatistics().get("final_jsd_mean");
    double second = byRank.get(1).getStatistics().get("final_jsd_mean");
    assertTrue(best <= second, "rank 1 has the lower mean final JSD: " + best + " vs " + second);
    for (SweepSummary s : byRank) {
      Map<String, Double> stats = s.getStatistics();
      double mean = stats.get("final_jsd_mean");
      assertTrue(mean > 0 && mean < 1, "a JSD in bits: " + mean);
      assertTrue(stats.get("final_jsd_std") >= 0);
      assertTrue(
          stats.get("final_jsd_ci_low") <= mean && mean <= stats.get("final_jsd_ci_high"),
          "the mean lies in its confidence interval: " + stats);
      assertTrue(output.contains(s.getConfigId()), "the command lists " + s.getConfigId());
    }
  }

  /** The newest summary of each configuration of the experiment (the topic is compacted). */
  private static Map<String, SweepSummary> latest(List<SweepSummary> records, String experiment) {
    Map<String, SweepSummary> latest = new LinkedHashMap<>();
    for (SweepSummary s : records) {
      if (s.getExperiment().equals(experiment)) {
        latest.put(s.getConfigId(), s);
      }
    }
    return latest;
  }

  private static boolean complete(Map<String, SweepSummary> latest) {
    return latest.size() == 2
        && latest.values().stream().allMatch(s -> s.getRuns() == 2 && s.getConfigurations() == 2);
  }
}

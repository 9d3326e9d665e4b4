package io.qmon.tests.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.qmon.producers.sdk.QmonPublisher;
import io.qmon.producers.sdk.RunPublisher;
import io.qmon.producers.train.Target;
import io.qmon.producers.worker.TargetEvents;
import io.qmon.schemas.RunStarted;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The durability settings as the real cluster sees them, and what checkpoints cost with many open
 * runs: the job is submitted once with the {@code hashmap} and once with the {@code rocksdb} state
 * backend, {@value #RUNS} runs are opened (one epoch each, none finished), and the checkpoint after
 * they were all scored is measured. The figures are printed for the issue notes.
 */
class ClusterStateSizeIT {
  private static final int RUNS = 1000;
  private static final int QUBITS = 3;

  @Test
  void shouldCheckpointAThousandOpenRunsWithEitherStateBackendAsConfigured() throws Exception {
    try (QmonOnCluster qmon = QmonOnCluster.start("cluster-state-size");
        ClusterFailoverIT.MetricTally tally = new ClusterFailoverIT.MetricTally(qmon.stack);
        QmonPublisher publisher =
            QmonPublisher.builder()
                .bootstrapServers(qmon.stack.bootstrapServers())
                .schemaRegistryUrl(qmon.stack.schemaRegistryUrl())
                .producerId("it-cluster-state-size")
                .build()) {
      tally.start();
      String targetId = TargetEvents.standardNormalId(QUBITS);
      publisher.publishTarget(TargetEvents.toEvent(targetId, Target.standardNormal(QUBITS)));
      publisher.flush();
      // One group: the second job starts from the offsets the first committed, so each job
      // holds exactly its own thousand runs.
      String group = "it-cluster-state-" + UUID.randomUUID();
      for (String backend : List.of("hashmap", "rocksdb")) {
        String job = qmon.submit(null, group, List.of("--job.state-backend", backend));
        try {
          JsonNode config = qmon.cluster.rest("/jobs/" + job + "/checkpoints/config");
          assertFalse(
              config.path("externalization").path("delete_on_cancellation").asBoolean(true),
              "checkpoints retained on cancellation: " + config);
          assertEquals(3, config.path("tolerable_failed_checkpoints").asInt(), config.toString());
          String expectedBackend =
              backend.equals("rocksdb") ? "EmbeddedRocksDBStateBackend" : "HashMapStateBackend";
          assertEquals(expectedBackend, config.path("state_backend").asText(), config.toString());
          assertEquals(
              "FileSystemCheckpointStorage",
              config.path("checkpoint_storage").asText(),
              config.toString());
          long emptySize = latest(qmon, job).path("state_size").asLong();

          String prefix = "it-cluster-state-" + backend + "-";
          for (int r = 0; r < RUNS; r++) {
            RunPublisher run = publisher.startRun(started(targetId), prefix + r);
            run.publishEpoch(1, new long[] {2, 3, 4, 5}, new long[] {10, 40, 40, 10}, Map.of());
          }
          publisher.flush();
          long deadline = System.nanoTime() + QmonOnCluster.WAIT.toNanos();
          while (tally.distinct(prefix) < RUNS && System.nanoTime() < deadline) {
            Thread.sleep(200);
          }
          assertEquals(RUNS, tally.distinct(prefix), "one epoch record per open run");
          // Two more checkpoints: the second started after every run's state was written.
          qmon.awaitCheckpoints(job, qmon.completedCheckpoints(job) + 2);
          JsonNode full = latest(qmon, job);
          long size = full.path("state_size").asLong();
          System.out.printf(
              "ClusterStateSizeIT %s: checkpoint %d with %d open runs: state %d bytes"
                  + " (checkpointed %d bytes, %d bytes with none), end-to-end %d ms%n",
              backend,
              full.path("id").asLong(),
              RUNS,
              size,
              full.path("checkpointed_size").asLong(),
              emptySize,
              full.path("end_to_end_duration").asLong());
          assertTrue(size > emptySize, "the open runs are in the checkpoint: " + full);
        } finally {
          qmon.cancelIfRunning(job);
        }
      }
    }
  }

  private static JsonNode latest(QmonOnCluster qmon, String job) throws Exception {
    return qmon.checkpoints(job).path("latest").path("completed");
  }

  private static RunStarted started(String targetId) {
    return RunStarted.newBuilder()
        .setExperiment("it-cluster-state-size")
        .setModelType("born_machine")
        .setAnsatz("real_amplitudes")
        .setRepetitions(1)
        .setQubits(QUBITS)
        .setShots(100)
        .setBackend("hand-written")
        .setOptimizer("none")
        .setSeed(0)
        .setTargetId(targetId)
        .build();
  }
}

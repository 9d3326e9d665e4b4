package io.qmon.jobs.bench;

import io.qmon.jobs.MonitoringJob;
import io.qmon.jobs.config.JobConfig;
import io.qmon.jobs.records.InputEvent;
import io.qmon.schemas.RunEvent;
import io.qmon.schemas.RunStarted;
import io.qmon.schemas.ShotCounts;
import io.qmon.schemas.TargetDistribution;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * The monitoring topology alone, without Kafka or Avro on the wire: N decoded shot events generated
 * in the job (one source subtask, so every run's epochs stay in order) through validation, scoring,
 * windows, detectors and sweeps into discarding sinks, on a local MiniCluster. Reports the job's
 * net runtime, so MiniCluster start-up is not counted. Separates the job's own cost from the
 * broker's. Not a test; run with
 *
 * <pre>
 * mvn -q -pl stream-jobs test-compile dependency:build-classpath \
 *   -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
 * java -cp "stream-jobs/target/test-classes:stream-jobs/target/classes:$(cat stream-jobs/target/test-classpath.txt)" \
 *   io.qmon.jobs.bench.JobThroughputBenchmark [events] [qubits] [parallelism]
 * </pre>
 */
public final class JobThroughputBenchmark {
  private JobThroughputBenchmark() {}

  public static void main(String[] args) throws Exception {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int qubits = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int parallelism = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    int runs = 100;
    // Event times advance 1 ms per event and must stay behind the clock (events ahead of it by
    // more than job.max-future-skew-ms are dead-lettered), so the stream starts in the past.
    long now = Instant.now().toEpochMilli() - events;
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(parallelism);
    env.getConfig().enableObjectReuse();
    JobConfig config = JobConfig.of(Map.of("job.parallelism", Integer.toString(parallelism)));
    MonitoringJob.wire(
        env.fromSequence(0, events + runs - 1)
            .setParallelism(1)
            .map(new GenerateEvent(runs, qubits, now))
            .setParallelism(1)
            .assignTimestampsAndWatermarks(
                WatermarkStrategy.<InputEvent>forMonotonousTimestamps()
                    .withTimestampAssigner((e, t) -> e.eventTimeMillis()))
            .setParallelism(1),
        env.fromData(List.of(InputEvent.of(target(qubits)))),
        new DiscardingSink<>(),
        new DiscardingSink<>(),
        new DiscardingSink<>(),
        new DiscardingSink<>(),
        new DiscardingSink<>(),
        config);
    JobExecutionResult result = env.execute("job-throughput");
    double seconds = result.getNetRuntime() / 1e3;
    System.out.printf(
        "%d events, %d qubits, parallelism %d: %.2f s job runtime, %.0f events/s%n",
        events, qubits, parallelism, seconds, events / seconds);
  }

  /**
   * Index i < runs starts run i; later indexes are epoch (i - runs) / runs + 1 of run i % runs,
   * with counts drawn from a pool made once so generating costs little next to the job.
   */
  private static final class GenerateEvent implements MapFunction<Long, InputEvent> {
    private static final long serialVersionUID = 1L;
    private final int runs;
    private final int qubits;
    private final long now;
    private transient List<ShotCounts> pool;

    GenerateEvent(int runs, int qubits, long now) {
      this.runs = runs;
      this.qubits = qubits;
      this.now = now;
    }

    @Override
    public InputEvent map(Long index) {
      long i = index;
      if (i < runs) {
        return InputEvent.of(start("run-" + i, qubits, now));
      }
      if (pool == null) {
        SplittableRandom random = new SplittableRandom(7);
        pool = new ArrayList<>();
        for (int p = 0; p < 1024; p++) {
          pool.add(shots("pool", 0, qubits, now, random));
        }
      }
      long n = i - runs;
      int epoch = (int) (n / runs) + 1;
      ShotCounts template = pool.get((int) (n % pool.size()));
      return InputEvent.of(
          ShotCounts.newBuilder(template)
              .setRunId("run-" + (n % runs))
              .setSeq(epoch)
              .setEpoch(epoch)
              .setEventTime(Instant.ofEpochMilli(now + n))
              .build());
    }
  }

  private static RunEvent start(String runId, int qubits, long now) {
    return RunEvent.newBuilder()
        .setRunId(runId)
        .setProducerId("bench")
        .setSeq(0)
        .setEventTime(Instant.ofEpochMilli(now))
        .setPayload(
            RunStarted.newBuilder()
                .setExperiment("bench")
                .setModelType("born_machine")
                .setAnsatz("a")
                .setRepetitions(1)
                .setQubits(qubits)
                .setShots(1024)
                .setBackend("b")
                .setOptimizer("o")
                .setSeed(1)
                .setTargetId("uniform")
                .build())
        .build();
  }

  private static ShotCounts shots(
      String runId, int epoch, int qubits, long time, SplittableRandom random) {
    int outcomes = 1 << qubits;
    long[] dense = new long[outcomes];
    for (int s = 0; s < 1024; s++) {
      dense[random.nextInt(outcomes)]++;
    }
    List<Long> keys = new ArrayList<>();
    List<Long> counts = new ArrayList<>();
    for (int x = 0; x < outcomes; x++) {
      if (dense[x] > 0) {
        keys.add((long) x);
        counts.add(dense[x]);
      }
    }
    return ShotCounts.newBuilder()
        .setRunId(runId)
        .setProducerId("bench")
        .setSeq(epoch)
        .setEpoch(epoch)
        .setEventTime(Instant.ofEpochMilli(time))
        .setQubits(qubits)
        .setShots(1024)
        .setOutcomes(keys)
        .setCounts(counts)
        .build();
  }

  private static TargetDistribution target(int qubits) {
    List<Long> outcomes = new ArrayList<>();
    List<Double> probabilities = new ArrayList<>();
    for (int x = 0; x < (1 << qubits); x++) {
      outcomes.add((long) x);
      probabilities.add(1.0 / (1 << qubits));
    }
    return TargetDistribution.newBuilder()
        .setTargetId("uniform")
        .setQubits(qubits)
        .setDescription("uniform")
        .setOutcomes(outcomes)
        .setProbabilities(probabilities)
        .setUpdatedTime(Instant.EPOCH)
        .build();
  }
}

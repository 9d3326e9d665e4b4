package io.qmon.bench;

import io.qmon.producers.sim.NoiseModel;
import io.qmon.producers.sim.ShotSampler;
import io.qmon.producers.train.Target;
import io.qmon.producers.worker.TargetEvents;
import io.qmon.schemas.RunEvent;
import io.qmon.schemas.RunFinished;
import io.qmon.schemas.RunStarted;
import io.qmon.schemas.RunStatus;
import io.qmon.schemas.ShotCounts;
import io.qmon.schemas.TargetDistribution;
import io.qmon.schemas.Topics;
import io.qmon.schemas.serde.ConfluentAvroSerde;
import io.qmon.schemas.serde.SchemaRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Makes the benchmark's events for one workload: the target (the discretised standard normal), run
 * starts and ends, and shot events whose counts are sampled from a "trained-ish" model of each run
 * — the target with per-outcome multiplicative noise and a little uniform mass — so the counts are
 * sparse and realistic rather than synthetic constants.
 */
final class EventFactory {
  private static final double LOG_NOISE = 0.3;
  private static final double UNIFORM_MASS = 0.02;

  private final Workload workload;
  private final String producerId;
  private final String targetId;
  private final double[] target;
  private final ConfluentAvroSerde<ShotCounts> shots;
  private final ConfluentAvroSerde<RunEvent> runs;
  private final ConfluentAvroSerde<TargetDistribution> targets;
  private final Map<String, double[]> models = new HashMap<>();
  private final ShotSampler sampler = new ShotSampler();
  private final SplittableRandom rng;

  EventFactory(SchemaRegistry registry, Workload workload, String producerId, long seed) {
    this.workload = workload;
    this.producerId = producerId;
    this.targetId = TargetEvents.standardNormalId(workload.qubits());
    this.target = Target.standardNormal(workload.qubits()).dense();
    this.shots = new ConfluentAvroSerde<>(registry, ShotCounts.SCHEMA$);
    this.runs = new ConfluentAvroSerde<>(registry, RunEvent.SCHEMA$);
    this.targets = new ConfluentAvroSerde<>(registry, TargetDistribution.SCHEMA$);
    this.rng = new SplittableRandom(seed);
  }

  /** The dense target probabilities over all 2^n outcomes. */
  double[] target() {
    return target.clone();
  }

  ProducerRecord<byte[], byte[]> targetRecord() {
    TargetDistribution event =
        TargetEvents.toEvent(targetId, Target.standardNormal(workload.qubits()));
    return new ProducerRecord<>(
        Topics.TARGETS, bytes(targetId), targets.serialize(Topics.TARGETS, event));
  }

  ProducerRecord<byte[], byte[]> startRecord(String runId) {
    RunStarted start =
        RunStarted.newBuilder()
            .setExperiment("qmon-bench")
            .setModelType("born_machine")
            .setAnsatz("real_amplitudes")
            .setRepetitions(2)
            .setQubits(workload.qubits())
            .setShots(workload.shots())
            .setBackend("qmon-bench-sampler")
            .setOptimizer("none")
            .setSeed(runId.hashCode())
            .setTargetId(targetId)
            .build();
    return runRecord(runId, 0, start);
  }

  /** The run's end; {@code epochs} is how many epochs it published in all. */
  ProducerRecord<byte[], byte[]> finishRecord(String runId, int epochs) {
    RunFinished end =
        RunFinished.newBuilder().setStatus(RunStatus.SUCCEEDED).setEpochs(epochs).build();
    return runRecord(runId, epochs + 1L, end);
  }

  /** A shot event for epoch {@code epoch} (sequence number = epoch) of the run. */
  PreparedEvent epoch(String runId, int epoch, CircuitOutputSink sink) {
    double[] model = models.computeIfAbsent(runId, id -> trainedIshModel());
    io.qmon.producers.sim.ShotCounts sample =
        sampler.sample(model, workload.shots(), NoiseModel.NONE, rng);
    sink.accept(runId, epoch, sample.outcomes(), sample.counts());
    ShotCounts event =
        ShotCounts.newBuilder()
            .setRunId(runId)
            .setProducerId(producerId)
            .setSeq(epoch)
            .setEpoch(epoch)
            .setEventTime(Instant.now())
            .setQubits(workload.qubits())
            .setShots(workload.shots())
            .setOutcomes(Arrays.stream(sample.outcomes()).boxed().toList())
            .setCounts(Arrays.stream(sample.counts()).boxed().toList())
            .build();
    return new PreparedEvent(
        runId,
        epoch,
        bytes(runId),
        shots.serialize(Topics.SHOTS, event),
        EventTimeStamp.offsetOf(event));
  }

  private ProducerRecord<byte[], byte[]> runRecord(String runId, long seq, Object payload) {
    RunEvent event =
        RunEvent.newBuilder()
            .setRunId(runId)
            .setProducerId(producerId)
            .setSeq(seq)
            .setEventTime(Instant.now())
            .setPayload(payload)
            .build();
    return new ProducerRecord<>(Topics.RUNS, bytes(runId), runs.serialize(Topics.RUNS, event));
  }

  private double[] trainedIshModel() {
    double uniform = UNIFORM_MASS / target.length;
    double[] model = new double[target.length];
    double total = 0;
    for (int x = 0; x < model.length; x++) {
      model[x] = target[x] * Math.exp(LOG_NOISE * gaussian()) + uniform;
      total += model[x];
    }
    for (int x = 0; x < model.length; x++) {
      model[x] /= total;
    }
    return model;
  }

  private double gaussian() {
    double u = 1.0 - rng.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble());
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}

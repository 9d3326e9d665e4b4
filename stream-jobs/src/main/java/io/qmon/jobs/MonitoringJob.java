package io.qmon.jobs;

import io.qmon.jobs.advise.AdviseTraining;
import io.qmon.jobs.config.Durability;
import io.qmon.jobs.config.JobConfig;
import io.qmon.jobs.detect.DetectAnomalies;
import io.qmon.jobs.detect.DetectorCatalog;
import io.qmon.jobs.emit.AvroRecordSerializer;
import io.qmon.jobs.emit.CountDeadLetters;
import io.qmon.jobs.functions.DecodeInput;
import io.qmon.jobs.ingest.EventTime;
import io.qmon.jobs.ingest.ValidateInput;
import io.qmon.jobs.records.InputEvent;
import io.qmon.jobs.records.MetricRecordEncoder;
import io.qmon.jobs.runs.RunSettings;
import io.qmon.jobs.runs.ScoreEpochs;
import io.qmon.jobs.sweeps.AggregateSweeps;
import io.qmon.jobs.sweeps.RankConfigurations;
import io.qmon.jobs.windows.SlidingEpochWindows;
import io.qmon.metrics.MetricNames;
import io.qmon.schemas.Advice;
import io.qmon.schemas.Alert;
import io.qmon.schemas.DeadLetter;
import io.qmon.schemas.MetricRecord;
import io.qmon.schemas.SweepSummary;
import io.qmon.schemas.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceOptions;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.OutputTag;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The monitoring job: validates run, shot and state events, drops duplicates, follows each run's
 * life (run-opened and run-closed records with params, status, summary and histogram), scores every
 * epoch against its run's target and every state snapshot for entanglement, keeps sliding-window
 * statistics per run, runs the anomaly detectors, aggregates sweep configurations over their
 * repeats and ranks them, advises each run's training loop (converged, plateau, barren plateau,
 * diverging, collapsed), and writes metric records, alerts, advice and sweep summaries; every
 * rejected input goes to the dead-letter topic with its reason.
 *
 * <p>{@link #main} wires Kafka; {@link #wire} takes any streams and sinks, so the same topology
 * runs on the embedded MiniCluster, on a Flink cluster from the fat jar, and in tests.
 */
public final class MonitoringJob {
  /** The job name shown by Flink. */
  public static final String NAME = "qmon-monitoring";

  /** Side output of every rejected input. */
  public static final OutputTag<DeadLetter> DEAD_LETTERS =
      new OutputTag<>("dead-letters", new AvroTypeInfo<>(DeadLetter.class));

  /** Metrics whose sliding-window statistics are kept. */
  public static final List<String> WINDOWED_METRICS =
      List.of(
          MetricNames.JSD,
          MetricNames.KL,
          MetricNames.FIDELITY,
          MetricNames.TV,
          MetricNames.ENTROPY_BITS,
          MetricNames.COVERAGE);

  private final JobConfig config;

  public MonitoringJob(JobConfig config) {
    this.config = config;
  }

  /** Entry point for {@code flink run} and for the embedded launcher. */
  public static void main(String[] args) throws Exception {
    JobConfig config = JobConfig.fromArgs(args);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    new MonitoringJob(config).build(env);
    env.execute(NAME);
  }

  /** Adds the job, reading from and writing to Kafka, to the environment. */
  public void build(StreamExecutionEnvironment env) {
    env.setParallelism(config.parallelism());
    // No function mutates its input, and the decoder makes a fresh object per record (which is
    // what pending events keep), so chained operators may share records instead of deep-copying.
    env.getConfig().enableObjectReuse();
    env.setBufferTimeout(config.bufferTimeoutMs());
    Durability.apply(env, config);
    DecodeInput decoder = new DecodeInput(config.registryClientSettings());
    // A start without a checkpoint or savepoint (cancel and submit again) continues where the
    // group's offsets, committed on every checkpoint, left off; only a new group reads the
    // retained input from the start. Targets are always read in full: they live in broadcast
    // state, which such a start does not have.
    KafkaSource<InputEvent> events =
        source(
            decoder,
            config.groupId(),
            OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST),
            Topics.RUNS,
            Topics.SHOTS,
            Topics.STATES);
    KafkaSource<InputEvent> targets =
        source(
            decoder, config.groupId() + "-targets", OffsetsInitializer.earliest(), Topics.TARGETS);
    WatermarkStrategy<InputEvent> eventTime =
        EventTime.strategy(
            config.maxOutOfOrdernessMs(),
            config.maxFutureSkewMs(),
            config.idlenessMs(),
            Clock.systemUTC());
    wire(
        env.fromSource(events, eventTime, "runs-and-shots").uid("runs-and-shots-source"),
        env.fromSource(targets, WatermarkStrategy.noWatermarks(), "targets")
            .uid("targets-source")
            .setParallelism(1),
        kafkaSink(
            "metrics",
            new AvroRecordSerializer<MetricRecord>(
                    Topics.METRICS,
                    config.registryClientSettings(),
                    MetricRecord.SCHEMA$,
                    MetricRecord::getRecordId,
                    () -> new MetricRecordEncoder()::encode)
                // A run's records share a partition, so sinks read them in the job's order
                // (RUN_OPENED first, RUN_CLOSED last) and beside the run's alerts.
                .partitionedBy(MetricRecord::getRunId)),
        kafkaSink(
            "alerts",
            new AvroRecordSerializer<Alert>(
                Topics.ALERTS, config.registryClientSettings(), Alert.SCHEMA$, Alert::getRunId)),
        kafkaSink(
            "sweeps",
            new AvroRecordSerializer<SweepSummary>(
                Topics.SWEEPS,
                config.registryClientSettings(),
                SweepSummary.SCHEMA$,
                s -> s.getExperiment() + "/" + s.getConfigId())),
        kafkaSink(
            "advice",
            new AvroRecordSerializer<Advice>(
                Topics.ADVICE, config.registryClientSettings(), Advice.SCHEMA$, Advice::getRunId)),
        kafkaSink(
            "dlq",
            new AvroRecordSerializer<DeadLetter>(
                Topics.DLQ,
                config.registryClientSettings(),
                DeadLetter.SCHEMA$,
                DeadLetter::getRunId)),
        config);
  }

  /** The topology, independent of where events come from and go to. */
  public static void wire(
      DataStream<InputEvent> events,
      DataStream<InputEvent> targets,
      Sink<MetricRecord> metricSink,
      Sink<Alert> alertSink,
      Sink<SweepSummary> sweepSink,
      Sink<Advice> adviceSink,
      Sink<DeadLetter> deadLetterSink,
      JobConfig config) {
    SingleOutputStreamOperator<InputEvent> validEvents =
        events
            .process(new ValidateInput(DEAD_LETTERS, config.maxFutureSkewMs()))
            .name("validate-events")
            .uid("validate-events");
    SingleOutputStreamOperator<InputEvent> validTargets =
        targets
            .process(new ValidateInput(DEAD_LETTERS, Long.MAX_VALUE))
            .name("validate-targets")
            .uid("validate-targets")
            .setParallelism(1);
    BroadcastStream<InputEvent> broadcastTargets = validTargets.broadcast(ScoreEpochs.TARGETS);

    SingleOutputStreamOperator<MetricRecord> epochs =
        validEvents
            .keyBy(InputEvent::runId)
            .connect(broadcastTargets)
            .process(
                new ScoreEpochs(
                    DEAD_LETTERS,
                    new RunSettings(
                        config.maxPendingShots(),
                        config.pendingTimeoutMs(),
                        config.stallTimeoutMs(),
                        config.allowedLatenessMs(),
                        config.histogramEveryEpochs(),
                        config.histogramMaxOutcomes(),
                        config.maxStateQubits(),
                        config.stateCuts(),
                        config.maxEpochJump()),
                    Duration.ofMillis(config.dedupTtlMs())),
                ScoreEpochs.producedType())
            .name("score-epochs")
            .uid("score-epochs");

    // Scored records are already partitioned by run, so the per-run steps need no second shuffle,
    // and each passes its input on: scoring, windows, detectors and the metrics sink run as one
    // chain in one thread, handing records over by reference.
    SingleOutputStreamOperator<MetricRecord> withWindows =
        DataStreamUtils.reinterpretAsKeyedStream(epochs, MetricRecord::getRunId)
            .process(
                new SlidingEpochWindows(
                    config.windowEpochs(), config.windowSlide(), WINDOWED_METRICS, 0.95),
                ScoreEpochs.producedType())
            .name("sliding-epoch-windows")
            .uid("sliding-epoch-windows");
    SingleOutputStreamOperator<MetricRecord> detected =
        DataStreamUtils.reinterpretAsKeyedStream(withWindows, MetricRecord::getRunId)
            .process(
                new DetectAnomalies(DetectorCatalog.factory(config.detectors())),
                ScoreEpochs.producedType())
            .name("detect-anomalies")
            .uid("detect-anomalies");

    detected.sinkTo(metricSink).name("metrics-sink").uid("metrics-sink");
    // Advice reads the same scored records beside the windows (no second shuffle) and is a stream
    // of its own: the training loops' readers of qgm.advice never wait on the metrics sink.
    SingleOutputStreamOperator<Advice> advice =
        DataStreamUtils.reinterpretAsKeyedStream(epochs, MetricRecord::getRunId)
            .process(new AdviseTraining(config.adviceSettings()), new AvroTypeInfo<>(Advice.class))
            .name("advise-training")
            .uid("advise-training");
    advice.sinkTo(adviceSink).name("advice-sink").uid("advice-sink");
    epochs
        .filter(AggregateSweeps::isSweepRunSummary)
        .name("sweep-run-summaries")
        .uid("sweep-run-summaries")
        .keyBy(AggregateSweeps::configurationKey)
        .process(new AggregateSweeps(), new AvroTypeInfo<>(SweepSummary.class))
        .name("aggregate-sweeps")
        .uid("aggregate-sweeps")
        .keyBy(SweepSummary::getExperiment)
        .process(new RankConfigurations(), new AvroTypeInfo<>(SweepSummary.class))
        .name("rank-configurations")
        .uid("rank-configurations")
        .sinkTo(sweepSink)
        .name("sweeps-sink")
        .uid("sweeps-sink");
    detected
        .getSideOutput(DetectAnomalies.ALERTS)
        .union(
            epochs.getSideOutput(ScoreEpochs.ALERTS), advice.getSideOutput(AdviseTraining.ALERTS))
        .sinkTo(alertSink)
        .name("alerts-sink")
        .uid("alerts-sink");
    validEvents
        .getSideOutput(DEAD_LETTERS)
        .union(validTargets.getSideOutput(DEAD_LETTERS), epochs.getSideOutput(DEAD_LETTERS))
        .map(new CountDeadLetters())
        .returns(new AvroTypeInfo<>(DeadLetter.class))
        .name("count-dead-letters")
        .uid("count-dead-letters")
        .sinkTo(deadLetterSink)
        .name("dlq-sink")
        .uid("dlq-sink");
  }

  private KafkaSource<InputEvent> source(
      DecodeInput decoder, String groupId, OffsetsInitializer startingOffsets, String... topics) {
    var builder =
        KafkaSource.<InputEvent>builder()
            .setBootstrapServers(config.bootstrapServers())
            .setGroupId(groupId)
            .setTopics(topics)
            .setStartingOffsets(startingOffsets)
            .setProperty(KafkaSourceOptions.COMMIT_OFFSETS_ON_CHECKPOINT.key(), "true")
            .setProperty("isolation.level", "read_committed")
            .setDeserializer(decoder);
    config.consumerProperties().forEach(builder::setProperty);
    return builder.build();
  }

  private <T> KafkaSink<T> kafkaSink(String name, KafkaRecordSerializationSchema<T> serializer) {
    var builder =
        KafkaSink.<T>builder()
            .setBootstrapServers(config.bootstrapServers())
            .setRecordSerializer(serializer);
    config.producerProperties().forEach(builder::setProperty);
    if (config.exactlyOnce()) {
      builder
          .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
          .setTransactionalIdPrefix(config.groupId() + "-" + name)
          .setProperty("transaction.timeout.ms", "900000");
    } else {
      builder.setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE);
    }
    return builder.build();
  }
}

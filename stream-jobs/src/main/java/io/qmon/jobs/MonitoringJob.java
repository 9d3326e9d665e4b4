package io.qmon.jobs;

import io.qmon.jobs.config.JobConfig;
import io.qmon.jobs.functions.AvroRecordSerializer;
import io.qmon.jobs.functions.CountDeadLetters;
import io.qmon.jobs.functions.DecodeInput;
import io.qmon.jobs.functions.ScoreEpochs;
import io.qmon.jobs.functions.ValidateInput;
import io.qmon.jobs.records.InputEvent;
import io.qmon.schemas.DeadLetter;
import io.qmon.schemas.MetricRecord;
import io.qmon.schemas.Topics;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.OutputTag;

/**
 * The monitoring job: validates run and shot events, scores every epoch against its run's target,
 * and writes metric records; every rejected input goes to the dead-letter topic with its reason.
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
    Configuration restarts = new Configuration();
    restarts.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    restarts.set(
        RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, config.restartAttempts());
    restarts.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(2));
    env.configure(restarts);
    if (config.checkpointIntervalMs() > 0) {
      env.enableCheckpointing(config.checkpointIntervalMs());
    }
    DecodeInput decoder = new DecodeInput(config.schemaRegistryUrl());
    KafkaSource<InputEvent> events =
        KafkaSource.<InputEvent>builder()
            .setBootstrapServers(config.bootstrapServers())
            .setGroupId(config.groupId())
            .setTopics(Topics.RUNS, Topics.SHOTS)
            .setStartingOffsets(OffsetsInitializer.earliest())
            .setDeserializer(decoder)
            .build();
    KafkaSource<InputEvent> targets =
        KafkaSource.<InputEvent>builder()
            .setBootstrapServers(config.bootstrapServers())
            .setGroupId(config.groupId() + "-targets")
            .setTopics(Topics.TARGETS)
            .setStartingOffsets(OffsetsInitializer.earliest())
            .setDeserializer(decoder)
            .build();
    wire(
        env.fromSource(events, WatermarkStrategy.noWatermarks(), "runs-and-shots"),
        env.fromSource(targets, WatermarkStrategy.noWatermarks(), "targets").setParallelism(1),
        kafkaSink(
            new AvroRecordSerializer<MetricRecord>(
                Topics.METRICS,
                config.schemaRegistryUrl(),
                MetricRecord.SCHEMA$,
                MetricRecord::getRecordId)),
        kafkaSink(
            new AvroRecordSerializer<DeadLetter>(
                Topics.DLQ, config.schemaRegistryUrl(), DeadLetter.SCHEMA$, DeadLetter::getRunId)),
        config.maxPendingShots(),
        config.pendingTimeoutMs());
  }

  /** The topology, independent of where events come from and go to. */
  public static void wire(
      DataStream<InputEvent> events,
      DataStream<InputEvent> targets,
      Sink<MetricRecord> metricSink,
      Sink<DeadLetter> deadLetterSink,
      int maxPendingShots,
      long pendingTimeoutMs) {
    SingleOutputStreamOperator<InputEvent> validEvents =
        events
            .process(new ValidateInput(DEAD_LETTERS))
            .name("validate-events")
            .uid("validate-events");
    SingleOutputStreamOperator<InputEvent> validTargets =
        targets
            .process(new ValidateInput(DEAD_LETTERS))
            .name("validate-targets")
            .uid("validate-targets")
            .setParallelism(1);
    BroadcastStream<InputEvent> broadcastTargets = validTargets.broadcast(ScoreEpochs.TARGETS);

    SingleOutputStreamOperator<MetricRecord> metrics =
        validEvents
            .keyBy(InputEvent::runId)
            .connect(broadcastTargets)
            .process(
                new ScoreEpochs(DEAD_LETTERS, maxPendingShots, pendingTimeoutMs),
                ScoreEpochs.producedType())
            .name("score-epochs")
            .uid("score-epochs");
    metrics.sinkTo(metricSink).name("metrics-sink").uid("metrics-sink");

    validEvents
        .getSideOutput(DEAD_LETTERS)
        .union(validTargets.getSideOutput(DEAD_LETTERS), metrics.getSideOutput(DEAD_LETTERS))
        .map(new CountDeadLetters())
        .returns(new AvroTypeInfo<>(DeadLetter.class))
        .name("count-dead-letters")
        .uid("count-dead-letters")
        .sinkTo(deadLetterSink)
        .name("dlq-sink")
        .uid("dlq-sink");
  }

  private <T> KafkaSink<T> kafkaSink(
      org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema<T> serializer) {
    return KafkaSink.<T>builder()
        .setBootstrapServers(config.bootstrapServers())
        .setRecordSerializer(serializer)
        .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
        .build();
  }
}

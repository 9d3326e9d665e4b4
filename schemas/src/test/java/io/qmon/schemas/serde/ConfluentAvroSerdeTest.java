package io.qmon.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qmon.schemas.Alert;
import io.qmon.schemas.AlertState;
import io.qmon.schemas.DeadLetter;
import io.qmon.schemas.MetricRecord;
import io.qmon.schemas.MetricScope;
import io.qmon.schemas.RunEvent;
import io.qmon.schemas.RunFinished;
import io.qmon.schemas.RunStarted;
import io.qmon.schemas.RunStatus;
import io.qmon.schemas.Severity;
import io.qmon.schemas.ShotCounts;
import io.qmon.schemas.TargetDistribution;
import io.qmon.schemas.validation.ErrorType;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

class ConfluentAvroSerdeTest {
  private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();

  static ShotCounts shots() {
    return ShotCounts.newBuilder()
        .setRunId("run-1")
        .setProducerId("worker-a")
        .setSeq(7)
        .setEpoch(3)
        .setEventTime(java.time.Instant.ofEpochMilli(1_700_000_000_123L))
        .setQubits(3)
        .setShots(10)
        .setOutcomes(List.of(0L, 5L, 7L))
        .setCounts(List.of(4L, 5L, 1L))
        .setLosses(Map.of("spsa", 0.25))
        .build();
  }

  private <T extends SpecificRecord> T roundTrip(T record, String topic) {
    @SuppressWarnings("unchecked")
    ConfluentAvroSerde<T> serde = new ConfluentAvroSerde<>(registry, record.getSchema());
    return serde.deserialize(serde.serialize(topic, record));
  }

  @Test
  void shouldRoundTripEveryEventType() {
    ShotCounts shots = shots();
    assertEquals(shots, roundTrip(shots, "qgm.shots"));

    RunEvent started =
        RunEvent.newBuilder()
            .setRunId("run-1")
            .setProducerId("worker-a")
            .setSeq(0)
            .setEventTime(java.time.Instant.ofEpochMilli(1L))
            .setPayload(
                RunStarted.newBuilder()
                    .setExperiment("exp")
                    .setModelType("born_machine")
                    .setAnsatz("real_amplitudes")
                    .setRepetitions(2)
                    .setQubits(3)
                    .setShots(1024)
                    .setBackend("statevector")
                    .setOptimizer("spsa")
                    .setSeed(42)
                    .setTargetId("normal-3")
                    .build())
            .build();
    RunEvent read = roundTrip(started, "qgm.runs");
    assertEquals(started, read);
    assertNull(((RunStarted) read.getPayload()).getNoiseModel());
    assertNull(((RunStarted) read.getPayload()).getConfigId());

    RunEvent finished =
        RunEvent.newBuilder(started)
            .setPayload(
                RunFinished.newBuilder().setStatus(RunStatus.SUCCEEDED).setEpochs(10).build())
            .build();
    assertEquals(finished, roundTrip(finished, "qgm.runs"));

    TargetDistribution target =
        TargetDistribution.newBuilder()
            .setTargetId("t")
            .setQubits(2)
            .setDescription("d")
            .setOutcomes(List.of(0L, 3L))
            .setProbabilities(List.of(0.5, 0.5))
            .setLow(-1.0)
            .setHigh(1.0)
            .setUpdatedTime(java.time.Instant.ofEpochMilli(5L))
            .build();
    assertEquals(target, roundTrip(target, "qgm.targets"));

    MetricRecord metric =
        MetricRecord.newBuilder()
            .setRecordId("run-1/epoch/3")
            .setRunId("run-1")
            .setScope(MetricScope.EPOCH)
            .setFirstEpoch(3)
            .setLastEpoch(3)
            .setEventTime(java.time.Instant.ofEpochMilli(1L))
            .setProcessedTime(java.time.Instant.ofEpochMilli(2L))
            .setTargetId("t")
            .setQubits(3)
            .setShots(10)
            .setMetrics(Map.of("jsd", 0.1))
            .build();
    assertEquals(metric, roundTrip(metric, "qgm.metrics"));

    Alert alert =
        Alert.newBuilder()
            .setAlertId("a")
            .setRunId("run-1")
            .setDetector("static")
            .setMetric("jsd")
            .setState(AlertState.FIRING)
            .setSeverity(Severity.WARNING)
            .setValue(0.5)
            .setThreshold(0.3)
            .setEpoch(3)
            .setEventTime(java.time.Instant.ofEpochMilli(1L))
            .setReason("jsd 0.5 above 0.3")
            .build();
    assertEquals(alert, roundTrip(alert, "qgm.alerts"));

    DeadLetter letter =
        DeadLetter.newBuilder()
            .setSourceTopic("qgm.shots")
            .setSourcePartition(0)
            .setSourceOffset(12)
            .setKey(null)
            .setValue(ByteBuffer.wrap(new byte[] {1, 2, 3}))
            .setErrorType("UNREADABLE")
            .setReason("bad")
            .setRejectedTime(java.time.Instant.ofEpochMilli(1L))
            .build();
    assertEquals(letter, roundTrip(letter, "qgm.dlq"));
  }

  @Test
  void shouldWriteTheConfluentFrame() {
    ConfluentAvroSerde<ShotCounts> serde = new ConfluentAvroSerde<>(registry, ShotCounts.SCHEMA$);
    byte[] bytes = serde.serialize("qgm.shots", shots());
    assertEquals(0, bytes[0]);
    int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
    assertEquals(ShotCounts.SCHEMA$, registry.schemaById(id));
  }

  @Test
  void shouldAskTheRegistryOncePerSchemaId() {
    ConfluentAvroSerde<ShotCounts> serde = new ConfluentAvroSerde<>(registry, ShotCounts.SCHEMA$);
    byte[] bytes = serde.serialize("qgm.shots", shots());
    for (int i = 0; i < 100; i++) {
      serde.deserialize(bytes);
    }
    assertEquals(1, registry.lookups);
  }

  @Test
  void shouldReadRecordsWrittenWithANewerSchemaThatAddsAField() throws Exception {
    Schema newer =
        new Schema.Parser()
            .parse(
                ShotCounts.SCHEMA$
                    .toString()
                    .replace(
                        "{\"name\":\"run_id\"",
                        "{\"name\":\"device\",\"type\":\"string\",\"default\":\"\"},"
                            + "{\"name\":\"run_id\""));
    GenericRecord record = new GenericData.Record(newer);
    ShotCounts base = shots();
    for (Schema.Field field : ShotCounts.SCHEMA$.getFields()) {
      record.put(field.name(), base.get(field.name()));
    }
    record.put("event_time", base.getEventTime().toEpochMilli());
    record.put("device", "ibm_kyiv");
    int id = registry.register("qgm.shots-value", newer);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0);
    out.write(ByteBuffer.allocate(4).putInt(id).array());
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(newer).write(record, encoder);
    encoder.flush();

    ShotCounts read =
        new ConfluentAvroSerde<ShotCounts>(registry, ShotCounts.SCHEMA$)
            .deserialize(out.toByteArray());
    assertEquals(base, read);
  }

  @Test
  void shouldRefuseBytesThatAreNotConfluentFramed() {
    ConfluentAvroSerde<ShotCounts> serde = new ConfluentAvroSerde<>(registry, ShotCounts.SCHEMA$);
    byte[] good = serde.serialize("qgm.shots", shots());

    WireFormatException wrongMagic =
        assertThrows(
            WireFormatException.class, () -> serde.deserialize(new byte[] {1, 0, 0, 0, 1, 2}));
    assertEquals(ErrorType.UNREADABLE, wrongMagic.errorType());
    assertTrue(wrongMagic.getMessage().contains("magic byte 1"), wrongMagic.getMessage());

    WireFormatException tooShort =
        assertThrows(WireFormatException.class, () -> serde.deserialize(new byte[] {0, 0}));
    assertEquals(ErrorType.UNREADABLE, tooShort.errorType());

    byte[] unknownId = good.clone();
    unknownId[4] = 99;
    WireFormatException unknown =
        assertThrows(WireFormatException.class, () -> serde.deserialize(unknownId));
    assertEquals(ErrorType.UNKNOWN_SCHEMA, unknown.errorType());

    byte[] truncated = java.util.Arrays.copyOf(good, good.length - 3);
    assertEquals(
        ErrorType.UNREADABLE,
        assertThrows(WireFormatException.class, () -> serde.deserialize(truncated)).errorType());

    assertEquals(
        ErrorType.UNREADABLE,
        assertThrows(WireFormatException.class, () -> serde.deserialize(null)).errorType());
  }

  @Test
  void shouldRefuseARecordOfAnotherType() {
    byte[] targetBytes =
        new ConfluentAvroSerde<TargetDistribution>(registry, TargetDistribution.SCHEMA$)
            .serialize(
                "qgm.targets",
                TargetDistribution.newBuilder()
                    .setTargetId("t")
                    .setQubits(1)
                    .setDescription("")
                    .setOutcomes(List.of(0L))
                    .setProbabilities(List.of(1.0))
                    .setUpdatedTime(java.time.Instant.EPOCH)
                    .build());
    WireFormatException e =
        assertThrows(
            WireFormatException.class,
            () ->
                new ConfluentAvroSerde<ShotCounts>(registry, ShotCounts.SCHEMA$)
                    .deserialize(targetBytes));
    assertEquals(ErrorType.WRONG_SCHEMA, e.errorType());
  }
}

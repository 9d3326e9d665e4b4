package io.qmon.jobs.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qmon.schemas.DeadLetter;
import io.qmon.schemas.RunEvent;
import io.qmon.schemas.RunFinished;
import io.qmon.schemas.ShotCounts;
import io.qmon.schemas.StateSnapshot;
import io.qmon.schemas.TargetDistribution;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class InputEventSerializerTest {
  private final InputEventSerializer serializer = new InputEventSerializer();

  private static ShotCounts shots(String circuit, Map<String, Double> losses) {
    return ShotCounts.newBuilder()
        .setRunId("run-1")
        .setProducerId("worker-7")
        .setSeq(41)
        .setEpoch(40)
        .setCircuit(circuit)
        .setEventTime(Instant.ofEpochMilli(1_700_000_000_123L))
        .setQubits(5)
        .setShots(1024)
        .setOutcomes(List.of(0L, 3L, 31L))
        .setCounts(List.of(1000L, 20L, 4L))
        .setLosses(losses)
        .build();
  }

  private InputEvent roundTrip(InputEvent event) throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(64);
    serializer.serialize(event, out);
    DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
    InputEvent back = serializer.deserialize(in);
    assertEquals(0, in.available(), "every byte written is read back");
    return back;
  }

  @Test
  void shouldRoundTripEveryFieldOfAShotEvent() throws IOException {
    for (ShotCounts shots :
        List.of(
            shots("ansatz-a", Map.of("generator", 0.7, "discriminator", 1.25)),
            shots(null, Map.of()))) {
      InputEvent back = roundTrip(InputEvent.of(shots).from("qgm.shots", 3, 99));
      assertEquals(shots, back.shots);
      assertEquals("qgm.shots", back.sourceTopic);
      assertEquals(3, back.sourcePartition);
      assertEquals(99, back.sourceOffset);
    }
  }

  @Test
  void shouldRoundTripRunEventsTargetsAndDeadLettersThroughAvro() throws IOException {
    RunEvent run =
        RunEvent.newBuilder()
            .setRunId("run-1")
            .setProducerId("p")
            .setSeq(9)
            .setEventTime(Instant.ofEpochMilli(5))
            .setPayload(
                RunFinished.newBuilder()
                    .setEpochs(8)
                    .setStatus(io.qmon.schemas.RunStatus.SUCCEEDED)
                    .build())
            .build();
    TargetDistribution target =
        TargetDistribution.newBuilder()
            .setTargetId("t")
            .setQubits(1)
            .setDescription("coin")
            .setOutcomes(List.of(0L, 1L))
            .setProbabilities(List.of(0.5, 0.5))
            .setUpdatedTime(Instant.ofEpochMilli(7))
            .build();
    DeadLetter letter =
        DeadLetters.undecodable(
            "qgm.shots",
            0,
            1,
            null,
            new byte[] {1, 2},
            "BAD_MAGIC_BYTE",
            "not Confluent framed",
            Instant.ofEpochMilli(9));
    assertEquals(run, roundTrip(InputEvent.of(run)).run);
    assertEquals(target, roundTrip(InputEvent.of(target)).target);
    DeadLetter back = roundTrip(InputEvent.of(letter)).rejected;
    assertEquals(ByteBuffer.wrap(new byte[] {1, 2}), back.getValue());
    assertEquals(letter.getReason(), back.getReason());
  }

  @Test
  void shouldCopyDeeply() {
    InputEvent event = InputEvent.of(shots("c", Map.of("g", 1.0))).from("qgm.shots", 0, 1);
    InputEvent copy = serializer.copy(event);
    assertEquals(event.shots, copy.shots);
    assertNotSame(event.shots, copy.shots);
    assertNotSame(event.shots.getCounts(), copy.shots.getCounts());
  }

  @Test
  void shouldKnowEveryShotCountsFieldSoASchemaChangeCannotDropOne() {
    List<String> schemaFields =
        ShotCounts.SCHEMA$.getFields().stream().map(Schema.Field::name).toList();
    assertEquals(
        schemaFields,
        InputEventSerializer.SHOT_FIELDS,
        "ShotCounts changed: update InputEventSerializer.writeShots/readShots and SHOT_FIELDS");
  }

  @Test
  void shouldBeChosenByFlinkTypeExtractionAndRestoreFromItsSnapshot() {
    TypeInformation<InputEvent> info = TypeInformation.of(InputEvent.class);
    assertInstanceOf(InputEventTypeInfo.class, info);
    TypeSerializerSnapshot<InputEvent> snapshot = serializer.snapshotConfiguration();
    TypeSerializerSchemaCompatibility<InputEvent> compatibility =
        new InputEventSerializer().snapshotConfiguration().resolveSchemaCompatibility(snapshot);
    assertTrue(compatibility.isCompatibleAsIs(), compatibility.toString());
    assertInstanceOf(InputEventSerializer.class, snapshot.restoreSerializer());
  }

  @Test
  void shouldRoundTripAStateSnapshotAndCopyItDeeply() throws IOException {
    StateSnapshot state =
        StateSnapshot.newBuilder()
            .setRunId("r")
            .setProducerId("p")
            .setSeq(4)
            .setProducerSession("s-1")
            .setEpoch(3)
            .setEventTime(Instant.ofEpochMilli(9))
            .setQubits(1)
            .setAmplitudesRe(List.of(0.6, 0.0))
            .setAmplitudesIm(List.of(0.0, 0.8))
            .build();
    InputEvent event = InputEvent.of(state).from("qgm.states", 1, 2);
    InputEvent back = roundTrip(event);
    assertEquals(state, back.state);
    assertEquals("r", back.runId());
    assertEquals(9, back.eventTimeMillis());
    assertEquals("qgm.states", back.sourceTopic);
    InputEvent copy = serializer.copy(event);
    assertEquals(state, copy.state);
    assertNotSame(state, copy.state);
  }
}

package io.qmon.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qmon.schemas.ShotCounts;
import io.qmon.schemas.serde.ConfluentAvroSerde;
import io.qmon.schemas.serde.RestSchemaRegistry;
import io.qmon.schemas.serde.SchemaRegistryException;
import io.qmon.schemas.serde.WireFormatException;
import io.qmon.stack.EmbeddedSchemaRegistry;
import io.qmon.stack.StackSettings;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The serde and the registry client against a real Confluent-API registry (Apicurio). */
class SchemaRegistryIT {
  private static EmbeddedSchemaRegistry server;
  private static RestSchemaRegistry registry;

  @BeforeAll
  static void startRegistry() throws Exception {
    StackSettings settings = StackSettings.fromSystemProperties();
    Path work = Files.createTempDirectory("qmon-registry-it-");
    Files.createDirectories(settings.logDir());
    server =
        EmbeddedSchemaRegistry.start(
            settings.schemaRegistryHome(),
            work,
            settings.logDir().resolve("schema-registry-it.log"),
            settings.startupTimeout());
    registry = new RestSchemaRegistry(server.url());
  }

  @AfterAll
  static void stopRegistry() {
    server.close();
  }

  private static Schema schema(String fields) {
    return new Schema.Parser()
        .parse(
            "{\"type\":\"record\",\"name\":\"Probe\",\"namespace\":\"io.qmon.tests\",\"fields\":["
                + fields
                + "]}");
  }

  @Test
  void shouldRoundTripThroughTheRealRegistryInTheConfluentWireFormat() {
    ShotCounts event =
        ShotCounts.newBuilder()
            .setRunId("r")
            .setProducerId("p")
            .setSeq(1)
            .setEpoch(1)
            .setEventTime(Instant.ofEpochMilli(1234))
            .setQubits(2)
            .setShots(3)
            .setOutcomes(List.of(0L, 3L))
            .setCounts(List.of(1L, 2L))
            .setLosses(Map.of("jsd", 0.5))
            .build();
    byte[] bytes =
        new ConfluentAvroSerde<ShotCounts>(registry, ShotCounts.SCHEMA$)
            .serialize("it.shots", event);
    assertEquals(0, bytes[0]);
    int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
    RestSchemaRegistry fresh = new RestSchemaRegistry(server.url());
    assertEquals(ShotCounts.SCHEMA$, fresh.schemaById(id));
    assertEquals(
        event, new ConfluentAvroSerde<ShotCounts>(fresh, ShotCounts.SCHEMA$).deserialize(bytes));
    assertEquals(
        id, fresh.register("it.shots-value", ShotCounts.SCHEMA$), "registration is idempotent");
  }

  @Test
  void shouldRefuseAnIncompatibleChangeUnderBackwardCompatibility() {
    String subject = "it.compat-value";
    Schema v1 = schema("{\"name\":\"a\",\"type\":\"string\"}");
    registry.register(subject, v1);
    registry.setCompatibility(subject, "BACKWARD");

    Schema addsRequiredField =
        schema("{\"name\":\"a\",\"type\":\"string\"},{\"name\":\"b\",\"type\":\"int\"}");
    assertFalse(registry.isCompatible(subject, addsRequiredField));
    SchemaRegistryException refused =
        assertThrows(
            SchemaRegistryException.class, () -> registry.register(subject, addsRequiredField));
    assertTrue(refused.isIncompatible(), refused.getMessage());

    Schema addsOptionalField =
        schema(
            "{\"name\":\"a\",\"type\":\"string\"},{\"name\":\"b\",\"type\":\"int\",\"default\":0}");
    assertTrue(registry.isCompatible(subject, addsOptionalField));
    registry.register(subject, addsOptionalField);
  }

  @Test
  void shouldReportAnUnknownSchemaIdAsADeadLetterReason() {
    byte[] bytes = {0, 0, 0, 0x7f, 0x7f, 2, 4};
    WireFormatException e =
        assertThrows(
            WireFormatException.class,
            () ->
                new ConfluentAvroSerde<ShotCounts>(registry, ShotCounts.SCHEMA$)
                    .deserialize(bytes));
    assertEquals(io.qmon.schemas.validation.ErrorType.UNKNOWN_SCHEMA, e.errorType());
  }
}

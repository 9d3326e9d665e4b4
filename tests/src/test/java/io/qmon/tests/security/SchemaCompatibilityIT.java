package io.qmon.tests.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qmon.schemas.MetricRecord;
import io.qmon.schemas.Topics;
import io.qmon.schemas.serde.RestSchemaRegistry;
import io.qmon.schemas.serde.SchemaRegistry;
import io.qmon.schemas.serde.SchemaRegistryException;
import io.qmon.stack.EmbeddedStack;
import io.qmon.stack.StackSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The embedded stack registers every topic's value schema at start with BACKWARD compatibility, so
 * the real registry (Apicurio's Confluent API) refuses a breaking change to the output contract,
 * with its reason, and accepts a compatible one.
 */
class SchemaCompatibilityIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String METRICS_SUBJECT = SchemaRegistry.valueSubject(Topics.METRICS);

  private static EmbeddedStack stack;
  private static RestSchemaRegistry registry;

  @BeforeAll
  static void startStack() throws Exception {
    stack = EmbeddedStack.start(StackSettings.fromSystemProperties());
    registry = new RestSchemaRegistry(stack.schemaRegistryUrl());
  }

  @AfterAll
  static void stopStack() {
    if (stack != null) {
      stack.close();
    }
  }

  /** GET on the registry's Confluent API, read without the client under test. */
  private static JsonNode get(String path) throws Exception {
    HttpResponse<String> answer =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(stack.schemaRegistryUrl() + "/" + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, answer.statusCode(), path + ": " + answer.body());
    return JSON.readTree(answer.body());
  }

  @Test
  void shouldRegisterEveryTopicsValueSchemaWithBackwardCompatibilityAtStart() throws Exception {
    for (Map.Entry<String, Schema> topic : Topics.VALUE_SCHEMAS.entrySet()) {
      String subject = SchemaRegistry.valueSubject(topic.getKey());
      assertEquals(
          "BACKWARD", get("config/" + subject).path("compatibilityLevel").asText(), subject);
      Schema registered =
          new Schema.Parser()
              .parse(get("subjects/" + subject + "/versions/1").path("schema").asText());
      assertEquals(topic.getValue(), registered, subject);
    }
  }

  @Test
  void shouldRefuseANewRequiredFieldWithTheRegistrysReason() {
    ObjectNode field = JSON.createObjectNode().put("name", "calibration_id").put("type", "string");
    SchemaRegistryException refused =
        assertThrows(
            SchemaRegistryException.class,
            () -> registry.register(METRICS_SUBJECT, withField(field)));
    System.out.println("Registry refused a new required field: " + refused.getMessage());
    assertTrue(refused.isIncompatible(), refused.getMessage());
    assertTrue(refused.getMessage().contains("Incompatible artifact"), refused.getMessage());
    assertTrue(refused.getMessage().contains("calibration_id"), "names the field");
  }

  @Test
  void shouldRefuseAFieldTypeChangeWithTheRegistrysReason() throws Exception {
    ObjectNode schema = (ObjectNode) JSON.readTree(MetricRecord.SCHEMA$.toString());
    for (JsonNode field : schema.withArray("fields")) {
      if (field.path("name").asText().equals("first_epoch")) {
        ((ObjectNode) field).put("type", "string");
      }
    }
    Schema changed = new Schema.Parser().parse(schema.toString());
    assertEquals(Schema.Type.STRING, changed.getField("first_epoch").schema().getType());
    SchemaRegistryException refused =
        assertThrows(
            SchemaRegistryException.class, () -> registry.register(METRICS_SUBJECT, changed));
    System.out.println("Registry refused int -> string: " + refused.getMessage());
    assertTrue(refused.isIncompatible(), refused.getMessage());
    assertTrue(
        refused.getMessage().contains("STRING not compatible with writer type: INT"),
        refused.getMessage());
  }

  @Test
  void shouldAcceptANewFieldWithADefault() throws Exception {
    ObjectNode field =
        JSON.createObjectNode()
            .put("name", "calibration_note")
            .put("type", "string")
            .put("default", "");
    Schema compatible = withField(field);
    assertTrue(registry.isCompatible(METRICS_SUBJECT, compatible));
    int id = registry.register(METRICS_SUBJECT, compatible);
    assertEquals(compatible, registry.schemaById(id));
    JsonNode latest = get("subjects/" + METRICS_SUBJECT + "/versions/latest");
    assertEquals(id, latest.path("id").asInt());
    assertNotEquals(1, latest.path("version").asInt(), "a new version of the subject: " + latest);
    assertEquals(compatible, new Schema.Parser().parse(latest.path("schema").asText()));
  }

  private static Schema withField(ObjectNode field) {
    try {
      ObjectNode schema = (ObjectNode) JSON.readTree(MetricRecord.SCHEMA$.toString());
      ((ArrayNode) schema.get("fields")).add(field);
      return new Schema.Parser().parse(schema.toString());
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }
}

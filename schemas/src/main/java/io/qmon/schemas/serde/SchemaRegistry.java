package io.qmon.schemas.serde;

import org.apache.avro.Schema;

/**
 * The part of the Confluent Schema Registry REST API that qmon uses.
 *
 * <p>Any registry speaking that API works: Confluent Schema Registry, Apicurio's {@code
 * /apis/ccompat/v7}, Karapace. Subjects follow the TopicNameStrategy ({@code <topic>-value}).
 */
public interface SchemaRegistry {
  /** Registers the schema under the subject (idempotent) and returns its global id. */
  int register(String subject, Schema schema);

  /** The schema with this global id. */
  Schema schemaById(int id);

  /** Sets the compatibility level (BACKWARD, FORWARD, FULL, NONE, ...) of one subject. */
  void setCompatibility(String subject, String level);

  /** Whether the schema is compatible with the subject's latest version under its level. */
  boolean isCompatible(String subject, Schema schema);

  /** The subject name for values of a topic under the TopicNameStrategy. */
  static String valueSubject(String topic) {
    return topic + "-value";
  }
}

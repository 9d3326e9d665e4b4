package io.qmon.jobs.records;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.qmon.schemas.Histogram;
import io.qmon.schemas.MetricRecord;
import io.qmon.schemas.MetricScope;
import io.qmon.schemas.RunCloseStatus;
import io.qmon.schemas.serde.ConfluentAvroSerde;
import io.qmon.schemas.serde.SchemaRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class MetricRecordEncoderTest {
  /** A registry that answers one id for every schema: enough to frame bytes offline. */
  private static final SchemaRegistry ONE_ID =
      new SchemaRegistry() {
        @Override
        public int register(String subject, Schema schema) {
          return 70_000;
        }

        @Override
        public Schema schemaById(int id) {
          return MetricRecord.SCHEMA$;
        }

        @Override
        public void setCompatibility(String subject, String level) {}

        @Override
        public boolean isCompatible(String subject, Schema schema) {
          return true;
        }
      };

  private static MetricRecord random(Random r, int i) {
    Map<String, Double> metrics = new LinkedHashMap<>();
    for (int m = 0; m < r.nextInt(20); m++) {
      metrics.put("metric_" + m + (m % 3 == 0 ? "_ünïcode" : ""), r.nextGaussian() * 1e3);
    }
    metrics.put("nan", Double.NaN);
    metrics.put("neg_inf", Double.NEGATIVE_INFINITY);
    Map<String, Double> floors = new HashMap<>();
    if (r.nextBoolean()) {
      floors.put("jsd", r.nextDouble());
    }
    return new MetricRecord(
        "run-" + i + "/epoch/" + i,
        "run-" + i,
        MetricScope.values()[i % MetricScope.values().length],
        r.nextInt(),
        -r.nextInt(1000),
        Instant.ofEpochMilli(r.nextLong() >>> 20),
        Instant.ofEpochMilli(1_700_000_000_000L + i),
        "target-é",
        r.nextInt(64),
        r.nextLong(),
        metrics,
        floors,
        r.nextBoolean() ? null : "experiment-" + i,
        r.nextBoolean() ? null : "config-" + i,
        r.nextBoolean() ? Map.of() : Map.of("optimizer", "spsa", "lr-ü", "0." + i),
        r.nextBoolean() ? Map.of() : Map.of("team", "qml"),
        r.nextBoolean() ? null : RunCloseStatus.values()[i % RunCloseStatus.values().length],
        r.nextBoolean() ? null : "closed: ✓ " + i,
        r.nextBoolean() ? null : histogram(r, i),
        r.nextBoolean() ? Map.of() : Map.of("environment.txt", "qiskit==2.2.1\nnumpy==2.3.4 é\n"));
  }

  private static Histogram histogram(Random r, int i) {
    int n = r.nextInt(5);
    List<Long> outcomes = new ArrayList<>();
    List<Long> counts = new ArrayList<>();
    List<Double> target = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      outcomes.add((long) k * 3);
      counts.add(r.nextLong() >>> 40);
      target.add(r.nextDouble());
    }
    Double low = r.nextBoolean() ? null : -r.nextDouble();
    return new Histogram(
        i, r.nextLong() >>> 30, outcomes, counts, target, low, low == null ? null : 1.5);
  }

  @Test
  void shouldWriteExactlyWhatAvrosWriterWrites() {
    ConfluentAvroSerde<MetricRecord> avro = new ConfluentAvroSerde<>(ONE_ID, MetricRecord.SCHEMA$);
    MetricRecordEncoder encoder = new MetricRecordEncoder();
    Random r = new Random(5);
    for (int i = 0; i < 2000; i++) {
      MetricRecord record = random(r, i);
      byte[] expected = avro.serialize("qgm.metrics", record);
      assertArrayEquals(expected, encoder.encode(70_000, record), "record " + i);
      MetricRecord back = avro.deserialize(expected);
      assertEquals(record.getMetrics(), back.getMetrics());
      assertEquals(record.getConfigId(), back.getConfigId());
    }
  }

  @Test
  void shouldKnowEveryMetricRecordFieldSoASchemaChangeCannotDropOne() {
    List<String> fields =
        MetricRecord.SCHEMA$.getFields().stream().map(Schema.Field::name).toList();
    assertEquals(
        fields,
        MetricRecordEncoder.FIELDS,
        "MetricRecord changed: update MetricRecordEncoder.encode and FIELDS");
  }
}

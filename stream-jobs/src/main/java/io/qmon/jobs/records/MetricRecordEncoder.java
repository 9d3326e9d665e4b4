package io.qmon.jobs.records;

import io.qmon.schemas.Histogram;
import io.qmon.schemas.MetricRecord;
import io.qmon.schemas.serde.ConfluentAvroSerde;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link MetricRecord} in the Confluent wire format (magic byte, schema id, Avro binary)
 * field by field: the job writes one or two per event, and Avro's generic writer spent most of its
 * time walking the schema and re-encoding the same metric names. The bytes are exactly what Avro's
 * writer produces for the same record (pinned by MetricRecordEncoderTest, which also fails when the
 * schema's fields change).
 *
 * <p>Not thread-safe: one instance per sink writer.
 */
public final class MetricRecordEncoder {
  /** Every field of {@link MetricRecord}, in schema order. */
  static final List<String> FIELDS =
      List.of(
          "record_id",
          "run_id",
          "scope",
          "first_epoch",
          "last_epoch",
          "event_time",
          "processed_time",
          "target_id",
          "qubits",
          "shots",
          "metrics",
          "noise_floors",
          "experiment",
          "config_id",
          "params",
          "tags",
          "status",
          "message",
          "histogram",
          "attachments");

  /** Map keys are few (metric names); their encodings are kept, up to this many. */
  private static final int MAX_CACHED_KEYS = 4096;

  private final Map<String, byte[]> encodedKeys = new HashMap<>();
  private byte[] buffer = new byte[1024];
  private int position;

  /** The framed bytes of one record, with the given registry id of the MetricRecord schema. */
  public byte[] encode(int schemaId, MetricRecord record) {
    position = 0;
    ensure(5);
    buffer[position++] = ConfluentAvroSerde.MAGIC_BYTE;
    buffer[position++] = (byte) (schemaId >>> 24);
    buffer[position++] = (byte) (schemaId >>> 16);
    buffer[position++] = (byte) (schemaId >>> 8);
    buffer[position++] = (byte) schemaId;
    writeString(record.getRecordId());
    writeString(record.getRunId());
    writeLong(record.getScope().ordinal());
    writeLong(record.getFirstEpoch());
    writeLong(record.getLastEpoch());
    writeLong(record.getEventTime().toEpochMilli());
    writeLong(record.getProcessedTime().toEpochMilli());
    writeString(record.getTargetId());
    writeLong(record.getQubits());
    writeLong(record.getShots());
    writeMap(record.getMetrics());
    writeMap(record.getNoiseFloors());
    writeNullableString(record.getExperiment());
    writeNullableString(record.getConfigId());
    writeStringMap(record.getParams());
    writeStringMap(record.getTags());
    if (record.getStatus() == null) {
      writeLong(0);
    } else {
      writeLong(1);
      writeLong(record.getStatus().ordinal());
    }
    writeNullableString(record.getMessage());
    writeHistogram(record.getHistogram());
    writeStringMap(record.getAttachments());
    return Arrays.copyOf(buffer, position);
  }

  private void writeMap(Map<String, Double> map) {
    if (!map.isEmpty()) {
      writeLong(map.size());
      for (Map.Entry<String, Double> entry : map.entrySet()) {
        byte[] key = encodedKey(entry.getKey());
        ensure(key.length + 8);
        System.arraycopy(key, 0, buffer, position, key.length);
        position += key.length;
        writeDoubleBits(entry.getValue());
      }
    }
    writeLong(0);
  }

  private void writeStringMap(Map<String, String> map) {
    if (!map.isEmpty()) {
      writeLong(map.size());
      for (Map.Entry<String, String> entry : map.entrySet()) {
        writeString(entry.getKey());
        writeString(entry.getValue());
      }
    }
    writeLong(0);
  }

  private void writeHistogram(Histogram histogram) {
    if (histogram == null) {
      writeLong(0);
      return;
    }
    writeLong(1);
    writeLong(histogram.getEpoch());
    writeLong(histogram.getShots());
    writeLongArray(histogram.getOutcomes());
    writeLongArray(histogram.getCounts());
    List<Double> target = histogram.getTarget();
    if (!target.isEmpty()) {
      writeLong(target.size());
      ensure(8 * target.size());
      for (double value : target) {
        writeDoubleBits(value);
      }
    }
    writeLong(0);
    writeNullableDouble(histogram.getLow());
    writeNullableDouble(histogram.getHigh());
  }

  private void writeLongArray(List<Long> values) {
    if (!values.isEmpty()) {
      writeLong(values.size());
      for (long value : values) {
        writeLong(value);
      }
    }
    writeLong(0);
  }

  private void writeNullableDouble(Double value) {
    if (value == null) {
      writeLong(0);
    } else {
      writeLong(1);
      ensure(8);
      writeDoubleBits(value);
    }
  }

  private void writeDoubleBits(double value) {
    long bits = Double.doubleToRawLongBits(value);
    for (int i = 0; i < 8; i++) {
      buffer[position++] = (byte) (bits >>> (8 * i));
    }
  }

  /** The key's length prefix and UTF-8 bytes, as one array. */
  private byte[] encodedKey(String key) {
    byte[] encoded = encodedKeys.get(key);
    if (encoded == null) {
      int start = position;
      writeString(key);
      encoded = Arrays.copyOfRange(buffer, start, position);
      position = start;
      if (encodedKeys.size() < MAX_CACHED_KEYS) {
        encodedKeys.put(key, encoded);
      }
    }
    return encoded;
  }

  private void writeNullableString(String value) {
    if (value == null) {
      writeLong(0);
    } else {
      writeLong(1);
      writeString(value);
    }
  }

  private void writeString(String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    writeLong(bytes.length);
    ensure(bytes.length);
    System.arraycopy(bytes, 0, buffer, position, bytes.length);
    position += bytes.length;
  }

  /** Avro's zig-zag variable-length long (ints are written the same way). */
  private void writeLong(long value) {
    ensure(10);
    long n = (value << 1) ^ (value >> 63);
    while ((n & ~0x7FL) != 0) {
      buffer[position++] = (byte) ((n & 0x7F) | 0x80);
      n >>>= 7;
    }
    buffer[position++] = (byte) n;
  }

  private void ensure(int more) {
    if (position + more > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, position + more));
    }
  }
}

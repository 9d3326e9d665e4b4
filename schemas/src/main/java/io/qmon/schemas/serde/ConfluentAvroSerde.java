package io.qmon.schemas.serde;

import io.qmon.schemas.validation.ErrorType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Serializes and deserializes one generated Avro record type in the Confluent wire format: magic
 * byte 0, the 4-byte big-endian schema id, then the Avro binary encoding.
 *
 * <p>Writing registers the record's schema under {@code <topic>-value} on first use. Reading
 * resolves the writer's schema by id against this reader schema, so records written with an older
 * or newer compatible schema are read. Thread-safe; the registry is consulted once per schema.
 */
public final class ConfluentAvroSerde<T extends SpecificRecord> {
  /** The first byte of every Confluent-framed record. */
  public static final byte MAGIC_BYTE = 0;

  private static final int HEADER_LENGTH = 5;

  private final SchemaRegistry registry;
  private final Schema readerSchema;
  private final SpecificDatumWriter<T> writer;
  private final Map<String, Integer> idsByTopic = new ConcurrentHashMap<>();
  private final Map<Integer, DatumReader<T>> readersById = new ConcurrentHashMap<>();
  private final ThreadLocal<ByteArrayOutputStream> buffers =
      ThreadLocal.withInitial(() -> new ByteArrayOutputStream(256));
  private final ThreadLocal<BinaryEncoder> encoders = new ThreadLocal<>();
  private final ThreadLocal<BinaryDecoder> decoders = new ThreadLocal<>();

  /**
   * The generated class's model (its logical-type conversions) with Avro's fast reader on: it plans
   * each (writer, reader) schema pair once instead of walking the resolving grammar per field.
   */
  private final SpecificData readModel;

  public ConfluentAvroSerde(SchemaRegistry registry, Schema readerSchema) {
    if (registry == null) {
      throw new IllegalArgumentException("registry must not be null");
    }
    if (readerSchema == null) {
      throw new IllegalArgumentException("readerSchema must not be null");
    }
    this.registry = registry;
    this.readerSchema = readerSchema;
    this.writer = new SpecificDatumWriter<>(readerSchema);
    SpecificData generated = SpecificData.getForSchema(readerSchema);
    this.readModel = new SpecificData(generated.getClassLoader());
    generated.getConversions().forEach(readModel::addLogicalTypeConversion);
    readModel.setFastReaderEnabled(true);
  }

  /** The schema this serde writes and reads into. */
  public Schema schema() {
    return readerSchema;
  }

  /**
   * The registry id of this serde's schema under {@code <topic>-value}, registered on first use:
   * what a hand-written encoder of the same schema puts in the frame header.
   */
  public int schemaId(String topic) {
    return idsByTopic.computeIfAbsent(
        topic, t -> registry.register(SchemaRegistry.valueSubject(t), readerSchema));
  }

  /** Frames the record for a topic, registering the schema under {@code <topic>-value} once. */
  public byte[] serialize(String topic, T record) {
    if (record == null) {
      return null;
    }
    int id = schemaId(topic);
    ByteArrayOutputStream out = buffers.get();
    out.reset();
    out.write(MAGIC_BYTE);
    out.write(id >>> 24);
    out.write(id >>> 16);
    out.write(id >>> 8);
    out.write(id);
    // Buffered: a record is many small writes (map keys, doubles), which the buffer batches into
    // a few large copies into the output stream.
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, encoders.get());
    encoders.set(encoder);
    try {
      writer.write(record, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("Writing " + readerSchema.getFullName() + " failed", e);
    }
    return out.toByteArray();
  }

  /**
   * Reads one framed record.
   *
   * @throws WireFormatException when the bytes cannot be read (the record belongs in the DLQ)
   * @throws SchemaRegistryException when the registry could not be asked (retry, do not DLQ)
   */
  public T deserialize(byte[] bytes) {
    if (bytes == null) {
      throw new WireFormatException(ErrorType.UNREADABLE, "Record has no value (tombstone)", null);
    }
    if (bytes.length < HEADER_LENGTH) {
      throw new WireFormatException(
          ErrorType.UNREADABLE,
          "Record of " + bytes.length + " bytes is shorter than the 5-byte Confluent header",
          null);
    }
    if (bytes[0] != MAGIC_BYTE) {
      throw new WireFormatException(
          ErrorType.UNREADABLE,
          "Unknown magic byte " + bytes[0] + ": not in the Confluent wire format",
          null);
    }
    int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
    DatumReader<T> reader = readersById.get(id);
    if (reader == null) {
      reader = readerFor(id);
      readersById.put(id, reader);
    }
    BinaryDecoder decoder =
        DecoderFactory.get()
            .binaryDecoder(bytes, HEADER_LENGTH, bytes.length - HEADER_LENGTH, decoders.get());
    decoders.set(decoder);
    try {
      T record = reader.read(null, decoder);
      if (!decoder.isEnd()) {
        throw new WireFormatException(
            ErrorType.UNREADABLE,
            "Trailing bytes after a "
                + readerSchema.getName()
                + " record written with schema id "
                + id,
            null);
      }
      return record;
    } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException e) {
      throw new WireFormatException(
          ErrorType.UNREADABLE,
          "Avro binary does not decode with schema id " + id + ": " + e.getMessage(),
          e);
    }
  }

  private DatumReader<T> readerFor(int id) {
    Schema writerSchema;
    try {
      writerSchema = registry.schemaById(id);
    } catch (SchemaRegistryException e) {
      if (e.isNotFound()) {
        throw new WireFormatException(
            ErrorType.UNKNOWN_SCHEMA, "Schema id " + id + " is unknown to the registry", e);
      }
      throw e;
    }
    if (!writerSchema.getFullName().equals(readerSchema.getFullName())) {
      throw new WireFormatException(
          ErrorType.WRONG_SCHEMA,
          "Schema id "
              + id
              + " is "
              + writerSchema.getFullName()
              + ", expected "
              + readerSchema.getFullName(),
          null);
    }
    return new SpecificDatumReader<>(writerSchema, readerSchema, readModel);
  }
}

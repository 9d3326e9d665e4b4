package io.qmon.schemas.serde;

import io.qmon.schemas.validation.ErrorType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SystemLimitException;
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
 *
 * <p>Reading never trusts the bytes: Avro's length limits are installed ({@link AvroLimits}), and
 * anything that goes wrong while decoding is a {@link WireFormatException} naming the schema id. A
 * registry that fails to answer for one schema id is told apart from a registry that is down: after
 * each failure the serde asks the registry an unrelated question; if that is not answered, the
 * {@link SchemaRegistryException} is thrown so the caller can fail and retry later; if it is, the
 * id is asked again, and after {@value #REGISTRY_ATTEMPTS} failures the record is refused as {@code
 * REGISTRY_UNAVAILABLE}.
 */
public final class ConfluentAvroSerde<T extends SpecificRecord> {
  /** The first byte of every Confluent-framed record. */
  public static final byte MAGIC_BYTE = 0;

  /** Attempts at fetching one schema id before the failure is judged. */
  public static final int REGISTRY_ATTEMPTS = 3;

  private static final int HEADER_LENGTH = 5;
  private static final long RETRY_PAUSE_MS = 100;

  /** How long a schema id that came back REGISTRY_UNAVAILABLE is not asked again: 60 s. */
  static final long FAILED_ID_MEMORY_NANOS = 60_000_000_000L;

  private static final int MAX_FAILED_IDS = 1024;

  private final SchemaRegistry registry;
  private final Schema readerSchema;
  private final SpecificDatumWriter<T> writer;
  private final Map<String, Integer> idsByTopic = new ConcurrentHashMap<>();
  private final Map<Integer, DatumReader<T>> readersById = new ConcurrentHashMap<>();

  /**
   * Schema ids the registry failed for while answering other requests, with the time until which
   * they are not asked again: a producer sending many records with such an id costs one round of
   * retries per {@link #FAILED_ID_MEMORY_NANOS}, not one per record.
   */
  private final Map<Integer, Long> failedIdsUntil = new ConcurrentHashMap<>();

  private final LongSupplier nanoClock;
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
    this(registry, readerSchema, System::nanoTime);
  }

  /**
   * @param nanoClock a monotonic clock in nanoseconds, for how long a failing schema id is
   *     remembered
   */
  ConfluentAvroSerde(SchemaRegistry registry, Schema readerSchema, LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
    if (registry == null) {
      throw new IllegalArgumentException("registry must not be null");
    }
    if (readerSchema == null) {
      throw new IllegalArgumentException("readerSchema must not be null");
    }
    AvroLimits.install();
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
    } catch (WireFormatException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      // Any failure to decode bytes that declared a readable schema is the bytes' fault: Avro's
      // limits (SystemLimitException), negative lengths, truncation, bad union indexes, bad UTF-8.
      String limits =
          e instanceof SystemLimitException ? " (Avro limits: " + AvroLimits.describe() + ")" : "";
      throw new WireFormatException(
          ErrorType.UNREADABLE,
          "Avro binary does not decode with schema id " + id + ": " + e.getMessage() + limits,
          e);
    }
  }

  private DatumReader<T> readerFor(int id) {
    Long until = failedIdsUntil.get(id);
    if (until != null) {
      if (nanoClock.getAsLong() - until < 0) {
        throw new WireFormatException(
            ErrorType.REGISTRY_UNAVAILABLE,
            "The registry failed for schema id "
                + id
                + " less than "
                + FAILED_ID_MEMORY_NANOS / 1_000_000_000L
                + " s ago; not asked again until then",
            null);
      }
      failedIdsUntil.remove(id);
    }
    Schema writerSchema;
    try {
      writerSchema = writerSchema(id);
    } catch (WireFormatException e) {
      if (e.errorType() == ErrorType.REGISTRY_UNAVAILABLE) {
        if (failedIdsUntil.size() >= MAX_FAILED_IDS) {
          failedIdsUntil.clear();
        }
        failedIdsUntil.put(id, nanoClock.getAsLong() + FAILED_ID_MEMORY_NANOS);
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

  /**
   * The writer's schema of an id. 404 is the record's fault at once, and so is an answer that is
   * not an Avro schema. Any other failure is judged by whether the registry answers an unrelated
   * question: if not, the registry is down and the exception is thrown (the caller fails and
   * retries later, losing nothing); if it does, this id is asked again, up to {@value
   * #REGISTRY_ATTEMPTS} times, and then the record is the registry's casualty.
   */
  private Schema writerSchema(int id) {
    RuntimeException last = null;
    for (int attempt = 1; attempt <= REGISTRY_ATTEMPTS; attempt++) {
      try {
        return registry.schemaById(id);
      } catch (SchemaRegistryException e) {
        if (e.isNotFound()) {
          throw new WireFormatException(
              ErrorType.UNKNOWN_SCHEMA, "Schema id " + id + " is unknown to the registry", e);
        }
        last = e;
      } catch (AvroRuntimeException e) {
        // The registry answered with a schema text Avro cannot parse: a JSON or Protobuf schema
        // registered under another subject, or garbage. Asking again would give the same answer.
        throw new WireFormatException(
            ErrorType.WRONG_SCHEMA,
            "Schema id " + id + " is not an Avro schema: " + e.getMessage(),
            e);
      } catch (RuntimeException e) {
        last = e;
      }
      if (!registryAnswers()) {
        throw last instanceof SchemaRegistryException sre
            ? sre
            : new SchemaRegistryException("Fetching schema id " + id + " failed: " + last, last);
      }
      if (attempt < REGISTRY_ATTEMPTS) {
        pause(attempt);
      }
    }
    throw new WireFormatException(
        ErrorType.REGISTRY_UNAVAILABLE,
        "The registry failed "
            + REGISTRY_ATTEMPTS
            + " times for schema id "
            + id
            + " while answering other requests: "
            + last.getMessage(),
        last);
  }

  /**
   * Whether the registry answers at all: a compatibility question about this serde's schema, which
   * any live registry answers (404 for an unknown subject is an answer too) and which no cache
   * short-cuts.
   */
  private boolean registryAnswers() {
    try {
      registry.isCompatible(SchemaRegistry.valueSubject(readerSchema.getFullName()), readerSchema);
      return true;
    } catch (SchemaRegistryException e) {
      return e.httpStatus() >= 200 && e.httpStatus() < 500;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static void pause(int attempt) {
    try {
      Thread.sleep(RETRY_PAUSE_MS * attempt);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaRegistryException("Interrupted while retrying the registry", e);
    }
  }
}

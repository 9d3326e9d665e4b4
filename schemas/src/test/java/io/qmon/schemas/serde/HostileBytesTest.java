package io.qmon.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.qmon.schemas.ShotCounts;
import io.qmon.schemas.validation.ErrorType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.SystemLimitException;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Bytes and registry answers built to hurt the reader: each must become a {@link
 * WireFormatException} with its code (a dead letter), never an allocation of what the record
 * declares, and never a failure of the caller, except when the registry is really down.
 */
class HostileBytesTest {
  private static final int GOOD_ID = 1;
  private static final int FAILING_ID = 500;
  private static final int GARBAGE_ID = 666;
  private static final int SLOW_ID = 777;
  private static final int NOT_AVRO_ID = 888;

  private HttpServer server;
  private final java.util.concurrent.ExecutorService executor =
      java.util.concurrent.Executors.newFixedThreadPool(4);
  private final AtomicInteger failingLookups = new AtomicInteger();
  private volatile boolean everythingFails;

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.stop(0);
    }
    executor.shutdownNow();
  }

  @Test
  void shouldInstallAvroLimitsThatRefuseAStringLongerThanOneMebibyte() {
    AvroLimits.install();
    assertEquals(
        Integer.toString(AvroLimits.MAX_STRING_BYTES),
        System.getProperty(SystemLimitException.MAX_STRING_LENGTH_PROPERTY));
    assertThrows(
        SystemLimitException.class,
        () -> SystemLimitException.checkMaxStringLength(AvroLimits.MAX_STRING_BYTES + 1L));
    assertEquals(
        AvroLimits.MAX_COLLECTION_ITEMS,
        SystemLimitException.checkMaxCollectionLength(0L, AvroLimits.MAX_COLLECTION_ITEMS));
  }

  @Test
  void shouldRefuseARecordDeclaringAGigabyteStringAsUnreadable() {
    ConfluentAvroSerde<ShotCounts> serde = serde(new InMemorySchemaRegistry());
    int id = serde.schemaId("qgm.shots");
    // 12 bytes: the frame, then run_id declared as a string of 2^30 bytes.
    byte[] bomb = frame(id, varint(1L << 30), new byte[] {1, 2});
    WireFormatException e = assertThrows(WireFormatException.class, () -> serde.deserialize(bomb));
    assertEquals(ErrorType.UNREADABLE, e.errorType());
    assertTrue(e.getMessage().contains("org.apache.avro.limits.string.maxLength"), e.getMessage());
  }

  @Test
  void shouldRefuseARecordDeclaringABillionOutcomesAsUnreadable() throws IOException {
    ConfluentAvroSerde<ShotCounts> serde = serde(new InMemorySchemaRegistry());
    int id = serde.schemaId("qgm.shots");
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    BinaryEncoder out = EncoderFactory.get().binaryEncoder(body, null);
    out.writeString("run");
    out.writeString("producer");
    out.writeLong(0); // seq
    out.writeIndex(0); // producer_session: null
    out.writeInt(1); // epoch
    out.writeIndex(0); // circuit: null
    out.writeLong(Instant.now().toEpochMilli());
    out.writeInt(3); // qubits
    out.writeLong(100); // shots
    out.writeLong(1_000_000_000L); // outcomes: a block of a billion items, none of them sent
    out.flush();
    byte[] bomb = frame(id, body.toByteArray(), new byte[0]);
    WireFormatException e = assertThrows(WireFormatException.class, () -> serde.deserialize(bomb));
    assertEquals(ErrorType.UNREADABLE, e.errorType());
    assertTrue(
        e.getMessage().contains("org.apache.avro.limits.collectionItems.maxLength"),
        e.getMessage());
  }

  @Test
  void shouldRefuseANegativeLengthAndABadUnionIndexAsUnreadable() {
    ConfluentAvroSerde<ShotCounts> serde = serde(new InMemorySchemaRegistry());
    int id = serde.schemaId("qgm.shots");
    byte[] negative = frame(id, varint(-5), new byte[0]);
    assertEquals(
        ErrorType.UNREADABLE,
        assertThrows(WireFormatException.class, () -> serde.deserialize(negative)).errorType());
    // run_id "r", producer_id "p", seq 0, then producer_session's union index 7 of 2.
    byte[] badUnion = frame(id, new byte[] {2, 'r', 2, 'p', 0, 14}, new byte[0]);
    assertEquals(
        ErrorType.UNREADABLE,
        assertThrows(WireFormatException.class, () -> serde.deserialize(badUnion)).errorType());
  }

  @Test
  void shouldDeadLetterASchemaIdTheRegistryFailsForWhileItAnswersOthers() throws IOException {
    ConfluentAvroSerde<ShotCounts> serde = serde(registryServer(Duration.ofSeconds(5)));
    WireFormatException e =
        assertThrows(
            WireFormatException.class,
            () -> serde.deserialize(frame(FAILING_ID, new byte[8], new byte[0])));
    assertEquals(ErrorType.REGISTRY_UNAVAILABLE, e.errorType());
    assertTrue(e.getMessage().contains("schema id " + FAILING_ID), e.getMessage());
    assertEquals(ConfluentAvroSerde.REGISTRY_ATTEMPTS, failingLookups.get());
  }

  @Test
  void shouldNotAskAgainForAFailingSchemaIdForAMinute() throws IOException {
    java.util.concurrent.atomic.AtomicLong clock = new java.util.concurrent.atomic.AtomicLong();
    ConfluentAvroSerde<ShotCounts> serde =
        new ConfluentAvroSerde<>(
            registryServer(Duration.ofSeconds(5)), ShotCounts.SCHEMA$, clock::get);
    byte[] record = frame(FAILING_ID, new byte[8], new byte[0]);
    assertThrows(WireFormatException.class, () -> serde.deserialize(record));
    assertEquals(3, failingLookups.get());

    clock.addAndGet(ConfluentAvroSerde.FAILED_ID_MEMORY_NANOS - 1);
    WireFormatException remembered =
        assertThrows(WireFormatException.class, () -> serde.deserialize(record));
    assertEquals(ErrorType.REGISTRY_UNAVAILABLE, remembered.errorType());
    assertTrue(remembered.getMessage().contains("not asked again"), remembered.getMessage());
    assertEquals(3, failingLookups.get(), "no lookup while the failure is remembered");

    clock.addAndGet(1);
    assertThrows(WireFormatException.class, () -> serde.deserialize(record));
    assertEquals(6, failingLookups.get(), "asked again after a minute");
  }

  @Test
  void shouldDeadLetterGarbageJsonForOneSchemaId() throws IOException {
    ConfluentAvroSerde<ShotCounts> serde = serde(registryServer(Duration.ofSeconds(5)));
    WireFormatException e =
        assertThrows(
            WireFormatException.class,
            () -> serde.deserialize(frame(GARBAGE_ID, new byte[8], new byte[0])));
    assertEquals(ErrorType.REGISTRY_UNAVAILABLE, e.errorType());
  }

  @Test
  void shouldDeadLetterASchemaIdWhoseLookupTimesOutWhileOthersAnswer() throws IOException {
    ConfluentAvroSerde<ShotCounts> serde = serde(registryServer(Duration.ofMillis(1500)));
    WireFormatException e =
        assertThrows(
            WireFormatException.class,
            () -> serde.deserialize(frame(SLOW_ID, new byte[8], new byte[0])));
    assertEquals(ErrorType.REGISTRY_UNAVAILABLE, e.errorType());
  }

  @Test
  void shouldRefuseASchemaIdThatIsNotAnAvroSchemaAsWrongSchema() throws IOException {
    ConfluentAvroSerde<ShotCounts> serde = serde(registryServer(Duration.ofSeconds(5)));
    WireFormatException e =
        assertThrows(
            WireFormatException.class,
            () -> serde.deserialize(frame(NOT_AVRO_ID, new byte[8], new byte[0])));
    assertEquals(ErrorType.WRONG_SCHEMA, e.errorType());
    assertTrue(e.getMessage().contains("not an Avro schema"), e.getMessage());
  }

  @Test
  void shouldStillReadGoodRecordsFromTheSameRegistry() throws IOException {
    ConfluentAvroSerde<ShotCounts> serde = serde(registryServer(Duration.ofSeconds(5)));
    ConfluentAvroSerde<ShotCounts> writer = serde(new InMemorySchemaRegistry());
    byte[] good = writer.serialize("qgm.shots", shots());
    assertEquals(shots(), serde.deserialize(good));
  }

  @Test
  void shouldFailTheCallerWhenTheRegistryAnswersNothingAtAll() throws IOException {
    SchemaRegistry registry = registryServer(Duration.ofSeconds(5));
    everythingFails = true;
    ConfluentAvroSerde<ShotCounts> serde = serde(registry);
    SchemaRegistryException e =
        assertThrows(
            SchemaRegistryException.class,
            () -> serde.deserialize(frame(FAILING_ID, new byte[8], new byte[0])));
    assertTrue(e.isRetriable(), e.getMessage());
  }

  @Test
  void shouldFailTheCallerWhenTheRegistryIsGone() throws IOException {
    SchemaRegistry registry = registryServer(Duration.ofSeconds(2));
    server.stop(0);
    server = null;
    ConfluentAvroSerde<ShotCounts> serde = serde(registry);
    SchemaRegistryException e =
        assertThrows(
            SchemaRegistryException.class,
            () -> serde.deserialize(frame(FAILING_ID, new byte[8], new byte[0])));
    assertFalse(e.isNotFound());
  }

  private static ConfluentAvroSerde<ShotCounts> serde(SchemaRegistry registry) {
    return new ConfluentAvroSerde<>(registry, ShotCounts.SCHEMA$);
  }

  /**
   * A Confluent-API registry on loopback that knows ShotCounts as id 1, fails id 500 with 500,
   * answers id 666 with a body that is not JSON, answers id 777 after 6 s, calls id 888 a schema
   * that is not Avro, and answers compatibility questions (unless everything fails).
   */
  private SchemaRegistry registryServer(Duration timeout) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/schemas/ids/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          int id = Integer.parseInt(path.substring(path.lastIndexOf('/') + 1));
          if (everythingFails) {
            answer(exchange, 500, "{\"error_code\":50001,\"message\":\"store down\"}");
            return;
          }
          switch (id) {
            case GOOD_ID ->
                answer(
                    exchange,
                    200,
                    new com.fasterxml.jackson.databind.ObjectMapper()
                        .createObjectNode()
                        .put("schema", ShotCounts.SCHEMA$.toString())
                        .toString());
            case FAILING_ID -> {
              failingLookups.incrementAndGet();
              answer(exchange, 500, "{\"error_code\":50001,\"message\":\"boom\"}");
            }
            case GARBAGE_ID -> answer(exchange, 200, "<html>not json{");
            case SLOW_ID -> {
              sleep(6_000);
              answer(exchange, 200, "{}");
            }
            case NOT_AVRO_ID ->
                answer(exchange, 200, "{\"schema\":\"{\\\"type\\\":\\\"object\\\"}\"}");
            default -> answer(exchange, 404, "{\"error_code\":40403}");
          }
        });
    server.createContext(
        "/compatibility/",
        exchange -> {
          if (everythingFails) {
            answer(exchange, 500, "{\"error_code\":50001}");
          } else {
            answer(exchange, 404, "{\"error_code\":40401,\"message\":\"Subject not found\"}");
          }
        });
    server.createContext(
        "/subjects/", exchange -> answer(exchange, 200, "{\"id\":" + GOOD_ID + "}"));
    server.setExecutor(executor);
    server.start();
    return new RestSchemaRegistry("http://127.0.0.1:" + server.getAddress().getPort(), timeout);
  }

  private static void answer(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static byte[] frame(int id, byte[] body, byte[] tail) {
    byte[] out = new byte[5 + body.length + tail.length];
    out[0] = ConfluentAvroSerde.MAGIC_BYTE;
    out[1] = (byte) (id >>> 24);
    out[2] = (byte) (id >>> 16);
    out[3] = (byte) (id >>> 8);
    out[4] = (byte) id;
    System.arraycopy(body, 0, out, 5, body.length);
    System.arraycopy(tail, 0, out, 5 + body.length, tail.length);
    return out;
  }

  /** Avro's zig-zag varint encoding of a long. */
  private static byte[] varint(long value) {
    long n = (value << 1) ^ (value >> 63);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while ((n & ~0x7FL) != 0) {
      out.write((int) ((n & 0x7F) | 0x80));
      n >>>= 7;
    }
    out.write((int) n);
    return out.toByteArray();
  }

  private static ShotCounts shots() {
    return ShotCounts.newBuilder()
        .setRunId("run")
        .setProducerId("p")
        .setSeq(0)
        .setEpoch(1)
        .setEventTime(Instant.ofEpochMilli(1_700_000_000_000L))
        .setQubits(2)
        .setShots(10)
        .setOutcomes(List.of(0L, 3L))
        .setCounts(List.of(4L, 6L))
        .setLosses(Map.of())
        .build();
  }
}

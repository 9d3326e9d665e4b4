package io.qmon.tests.job;

import io.qmon.schemas.serde.ConfluentAvroSerde;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Hand-made bytes for the hostile-input corpus: frames, varints and keys the SDKs never write. */
final class HostileRecords {
  private HostileRecords() {}

  /** A Confluent frame: magic byte 0, the schema id, then the given Avro body. */
  static byte[] frame(int schemaId, byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(ConfluentAvroSerde.MAGIC_BYTE);
    out.write(schemaId >>> 24);
    out.write(schemaId >>> 16);
    out.write(schemaId >>> 8);
    out.write(schemaId);
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  /** Avro's zig-zag varint encoding of a long. */
  static byte[] varint(long value) {
    long n = (value << 1) ^ (value >> 63);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while ((n & ~0x7FL) != 0) {
      out.write((int) ((n & 0x7F) | 0x80));
      n >>>= 7;
    }
    out.write((int) n);
    return out.toByteArray();
  }

  /** An Avro string: its length as a varint, then its UTF-8 bytes. */
  static byte[] avroString(String s) {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(varint(utf8.length));
    out.writeBytes(utf8);
    return out.toByteArray();
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}

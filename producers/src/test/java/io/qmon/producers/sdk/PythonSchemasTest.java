package io.qmon.producers.sdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Python SDK ships copies of the Avro schemas as package data; this keeps them byte-identical
 * to {@code schemas/src/main/avro}, the single source of truth, so the build fails on drift.
 */
class PythonSchemasTest {
  private static final Path SOURCE = Path.of("..", "schemas", "src", "main", "avro");
  private static final Path PACKAGED = Path.of("python", "qmon_sdk", "schemas");

  @Test
  void shouldShipEverySchemaByteForByteInThePythonPackage() throws IOException {
    List<Path> source = avscFiles(SOURCE);
    assertEquals(
        source.stream().map(Path::getFileName).map(Path::toString).toList(),
        avscFiles(PACKAGED).stream().map(Path::getFileName).map(Path::toString).toList(),
        "the same .avsc files");
    for (Path schema : source) {
      assertArrayEquals(
          Files.readAllBytes(schema),
          Files.readAllBytes(PACKAGED.resolve(schema.getFileName())),
          schema.getFileName()
              + " drifted: cp schemas/src/main/avro/*.avsc producers/python/qmon_sdk/schemas/");
    }
  }

  private static List<Path> avscFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".avsc")).sorted().toList();
    }
  }
}

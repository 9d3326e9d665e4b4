package io.qmon.tests.cluster;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * A stand-in for a Flink distribution's {@code lib/}: this test JVM's classpath without anything a
 * user jar must bring itself — the qmon modules, Kafka, Avro and the Flink Kafka and Avro
 * connectors. What is left is Flink's runtime (and unrelated test libraries), so a job jar that
 * forgot to shade one of its dependencies fails here as it would on a cluster.
 *
 * <p>Failsafe starts the test JVM with a manifest-only booter jar as its whole {@code
 * java.class.path} (its default {@code useManifestOnlyJar}); the real entries are that jar's {@code
 * Class-Path} manifest attribute, so such jars are expanded rather than copied.
 */
final class FlinkRuntimeClasspath {
  /**
   * Path fragments of what {@code flink-dist} does not hold; a user jar must shade these. (The
   * datagen, files and base connectors are part of {@code flink-dist}, Kafka and Avro are not.)
   */
  private static final List<String> USER_PROVIDED =
      List.of(
          "/io/qmon/",
          "/org/apache/kafka/",
          "/org/apache/avro/",
          "/org/apache/flink/flink-connector-kafka/",
          "/org/apache/flink/flink-avro/");

  private FlinkRuntimeClasspath() {}

  /** The entries of {@code java.class.path}, expanded and filtered; {@code qmonRoot} excluded. */
  static List<String> of(String javaClassPath, Path qmonRoot) {
    List<String> entries = new ArrayList<>();
    for (String entry : javaClassPath.split(File.pathSeparator)) {
      for (Path path : expand(Path.of(entry))) {
        if (isFlinkRuntime(path, qmonRoot)) {
          entries.add(path.toString());
        }
      }
    }
    return entries;
  }

  private static boolean isFlinkRuntime(Path path, Path qmonRoot) {
    String normalised = path.toAbsolutePath().normalize().toString().replace('\\', '/');
    if (path.toAbsolutePath().normalize().startsWith(qmonRoot)) {
      return false;
    }
    return USER_PROVIDED.stream().noneMatch(normalised::contains);
  }

  /** The jar's Class-Path entries when it is a manifest-only jar, else the path itself. */
  private static List<Path> expand(Path path) {
    if (!path.toString().endsWith(".jar") || !Files.isRegularFile(path)) {
      return List.of(path);
    }
    try (JarFile jar = new JarFile(path.toFile())) {
      Manifest manifest = jar.getManifest();
      String classPath =
          manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
      boolean manifestOnly = jar.stream().noneMatch(e -> e.getName().endsWith(".class"));
      if (classPath == null || !manifestOnly) {
        return List.of(path);
      }
      List<Path> entries = new ArrayList<>();
      URI base = path.toUri();
      for (String url : classPath.trim().split("\\s+")) {
        entries.add(Path.of(base.resolve(url)));
      }
      return entries;
    } catch (IOException e) {
      throw new UncheckedIOException("Reading the manifest of " + path + " failed", e);
    }
  }
}

package io.qmon.stack.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real Flink 2.2.1 distribution that {@code qmon cluster} and the cluster tests run on,
 * provided by the project's own {@code bin/flink-dist} (downloaded and checksum-checked on first
 * use into {@code .cache/}, so a fresh clone needs nothing else).
 */
public final class FlinkDistribution {
  private FlinkDistribution() {}

  /** The Flink home ({@code bin/}, {@code lib/}, {@code conf/}...), fetched if need be. */
  public static Path home(Path qmonRoot) throws IOException, InterruptedException {
    Path script = qmonRoot.resolve("bin/flink-dist");
    Path errors = Files.createTempFile("qmon-flink-dist-", ".err");
    try {
      Process process =
          new ProcessBuilder(script.toString())
              .redirectError(errors.toFile())
              .directory(qmonRoot.toFile())
              .start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(15, TimeUnit.MINUTES) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IllegalStateException(script + " failed:\n" + out + Files.readString(errors));
      }
      List<String> lines = out.strip().lines().toList();
      Path home = Path.of(lines.get(lines.size() - 1));
      if (!Files.isExecutable(home.resolve("bin/flink"))) {
        throw new IllegalStateException(script + " printed " + home + ", which has no bin/flink");
      }
      return home;
    } finally {
      Files.deleteIfExists(errors);
    }
  }
}

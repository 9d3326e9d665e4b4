package io.qmon.bench.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qmon.metrics.detect.Severity;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * River's ADWIN, Page–Hinkley and KSWIN (PyPI {@code river}, pinned in requirements-bench.txt) over
 * the same JSD series, run by {@code qmon_eval/river_baselines.py} in the project virtualenv
 * ({@code bin/python-env bench}); series go out and detections come back as JSON lines. Each
 * detection is one episode at the epoch it was detected.
 */
final class RiverBaselines {
  static final String SCRIPT = "benchmarks/src/main/python/qmon_eval/river_baselines.py";

  /** River's detector keys and the names the table prints, in the table's order. */
  static final Map<String, String> NAMES = names();

  private static final ObjectMapper JSON = new ObjectMapper();

  private RiverBaselines() {}

  private static Map<String, String> names() {
    Map<String, String> names = new LinkedHashMap<>();
    names.put("adwin", "ADWIN (River)");
    names.put("page_hinkley", "Page-Hinkley (River)");
    names.put("kswin", "KSWIN (River)");
    return java.util.Collections.unmodifiableMap(names);
  }

  /** Episodes by baseline name, then by stream run id. */
  static Map<String, Map<String, List<Episode>>> run(
      Path root, Path workDir, List<LabelledStream> streams)
      throws IOException, InterruptedException {
    Files.createDirectories(workDir);
    Path input = workDir.resolve("series.jsonl");
    try (BufferedWriter w = Files.newBufferedWriter(input, StandardCharsets.UTF_8)) {
      for (LabelledStream s : streams) {
        ObjectNode line = JSON.createObjectNode();
        line.put("id", s.spec().runId());
        var series = line.putArray("jsd");
        for (double v : JavaBaselines.jsd(s)) {
          series.add(v);
        }
        w.write(JSON.writeValueAsString(line));
        w.newLine();
      }
    }
    Path log = workDir.resolve("river.log");
    String python =
        exec(root, List.of(root.resolve("bin/python-env").toString(), "bench"), log, 1800).strip();
    String output =
        exec(root, List.of(python, root.resolve(SCRIPT).toString(), input.toString()), log, 600);
    Map<String, Map<String, List<Episode>>> out = new LinkedHashMap<>();
    NAMES.values().forEach(name -> out.put(name, new HashMap<>()));
    for (String line : output.strip().split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode node = JSON.readTree(line);
      String id = node.get("id").asText();
      for (Map.Entry<String, String> e : NAMES.entrySet()) {
        List<Episode> episodes = new ArrayList<>();
        for (JsonNode hit : node.get(e.getKey())) {
          episodes.add(new Episode(e.getValue(), Severity.WARNING, hit.asLong(), hit.asLong() + 1));
        }
        out.get(e.getValue()).put(id, episodes);
      }
    }
    return out;
  }

  static Path repositoryRoot() {
    String root = System.getenv("QMON_ROOT");
    if (root == null) {
      root = System.getProperty("qmon.root", ".");
    }
    Path path = Path.of(root).toAbsolutePath().normalize();
    if (!Files.isRegularFile(path.resolve(SCRIPT))) {
      throw new IllegalStateException(
          "Cannot find " + SCRIPT + " under " + path + "; run from the repository or --no-river");
    }
    return path;
  }

  private static String exec(Path root, List<String> command, Path log, long timeoutSeconds)
      throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(command)
            .directory(root.toFile())
            .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    process.getOutputStream().close();
    CompletableFuture<String> stdout =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " timed out; see " + log);
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException(
          String.join(" ", command) + " exited with " + process.exitValue() + "; see " + log);
    }
    return stdout.join();
  }
}

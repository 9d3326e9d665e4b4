package io.qmon.producers.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qmon.producers.sim.Entanglement;
import io.qmon.producers.train.Loss;
import io.qmon.producers.worker.AnsatzKind;
import io.qmon.producers.worker.InitKind;
import io.qmon.producers.worker.ModelKind;
import io.qmon.producers.worker.TargetKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads a {@link SweepConfig} from JSON. Unknown keys are refused (a typo must not silently fall
 * back to a default); every error names the key, and the index for list entries, e.g. {@code
 * qubits[1]: 25 must be in [1, 20]}. Keys and defaults are documented in producers/README.md.
 */
public final class SweepConfigReader {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> KEYS =
      Set.of(
          "experiment",
          "model",
          "target",
          "loss",
          "entanglement",
          "ansatze",
          "repetitions",
          "initialisations",
          "qubits",
          "learning_rates",
          "repeats",
          "epochs",
          "shots",
          "parallel_workers",
          "seed",
          "epoch_interval_ms");
  private static final int MAX_RUNS = 10_000;

  private SweepConfigReader() {}

  public static SweepConfig read(Path file) throws IOException {
    return parse(Files.readString(file));
  }

  /**
   * @throws IllegalArgumentException naming the key when the configuration is invalid
   */
  public static SweepConfig parse(String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "sweep config is not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("sweep config must be a JSON object");
    }
    for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!KEYS.contains(name)) {
        throw new IllegalArgumentException(
            name + ": unknown key; known keys are " + new java.util.TreeSet<>(KEYS));
      }
    }
    SweepConfig config =
        new SweepConfig(
            text(root, "experiment", "qmon-sweep"),
            kind(root, "model", "born_machine", ModelKind::of),
            kind(root, "target", "normal", TargetKind::of),
            kind(root, "loss", "jsd", SweepConfigReader::loss),
            kind(root, "entanglement", "linear", SweepConfigReader::entanglement),
            list(
                root,
                "ansatze",
                List.of(AnsatzKind.REAL_AMPLITUDES),
                n -> kindOf(n, AnsatzKind::of)),
            list(root, "repetitions", List.of(2), n -> intIn(n, 0, 20)),
            list(root, "initialisations", List.of(InitKind.UNIFORM), n -> kindOf(n, InitKind::of)),
            list(root, "qubits", null, n -> intIn(n, 1, 20)),
            list(root, "learning_rates", List.of(Double.NaN), SweepConfigReader::learningRate),
            integer(root, "repeats", 1, 1, 1000),
            integer(root, "epochs", null, 1, 1_000_000),
            integer(root, "shots", 1024, 1, 100_000_000),
            integer(root, "parallel_workers", Runtime.getRuntime().availableProcessors(), 1, 1024),
            longValue(root, "seed", 0),
            longValue(root, "epoch_interval_ms", 0));
    if (config.epochIntervalMs() < 0) {
      throw new IllegalArgumentException(
          "epoch_interval_ms: " + config.epochIntervalMs() + " must be >= 0");
    }
    if (config.runCount() > MAX_RUNS) {
      throw new IllegalArgumentException(
          "the sweep has "
              + config.runCount()
              + " runs (combinations × repeats); at most "
              + MAX_RUNS
              + " are allowed");
    }
    return config;
  }

  private static String text(JsonNode root, String key, String fallback) {
    JsonNode node = root.get(key);
    if (node == null) {
      return fallback;
    }
    if (!node.isTextual() || node.asText().isBlank()) {
      throw new IllegalArgumentException(key + ": must be a non-empty string, got " + node);
    }
    return node.asText();
  }

  private static <T> T kind(JsonNode root, String key, String fallback, Function<String, T> of) {
    JsonNode node = root.get(key);
    if (node == null) {
      return of.apply(fallback);
    }
    try {
      return kindOf(node, of);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + ": " + e.getMessage());
    }
  }

  private static <T> T kindOf(JsonNode node, Function<String, T> of) {
    if (!node.isTextual()) {
      throw new IllegalArgumentException("must be a string, got " + node);
    }
    return of.apply(node.asText());
  }

  private static <T> List<T> list(
      JsonNode root, String key, List<T> fallback, Function<JsonNode, T> element) {
    JsonNode node = root.get(key);
    if (node == null) {
      if (fallback == null) {
        throw new IllegalArgumentException(key + ": is required");
      }
      return fallback;
    }
    if (!node.isArray() || node.isEmpty()) {
      throw new IllegalArgumentException(key + ": must be a non-empty list, got " + node);
    }
    List<T> values = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      try {
        T value = element.apply(node.get(i));
        if (values.contains(value)) {
          throw new IllegalArgumentException("repeats an earlier entry");
        }
        values.add(value);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(key + "[" + i + "]: " + e.getMessage());
      }
    }
    return values;
  }

  private static int integer(JsonNode root, String key, Integer fallback, int min, int max) {
    JsonNode node = root.get(key);
    if (node == null) {
      if (fallback == null) {
        throw new IllegalArgumentException(key + ": is required");
      }
      return fallback;
    }
    try {
      return intIn(node, min, max);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + ": " + e.getMessage());
    }
  }

  private static long longValue(JsonNode root, String key, long fallback) {
    JsonNode node = root.get(key);
    if (node == null) {
      return fallback;
    }
    if (!node.isIntegralNumber() || !node.canConvertToLong()) {
      throw new IllegalArgumentException(key + ": must be an integer, got " + node);
    }
    return node.asLong();
  }

  private static int intIn(JsonNode node, int min, int max) {
    if (!node.isIntegralNumber() || !node.canConvertToInt()) {
      throw new IllegalArgumentException("must be an integer, got " + node);
    }
    int value = node.asInt();
    if (value < min || value > max) {
      throw new IllegalArgumentException(value + " must be in [" + min + ", " + max + "]");
    }
    return value;
  }

  private static double learningRate(JsonNode node) {
    if (node.isTextual() && node.asText().equals("auto")) {
      return Double.NaN;
    }
    if (!node.isNumber()) {
      throw new IllegalArgumentException("must be a number or \"auto\", got " + node);
    }
    double value = node.asDouble();
    if (!(value > 0 && value < 100)) {
      throw new IllegalArgumentException(value + " must be in (0, 100)");
    }
    return value;
  }

  private static Loss loss(String key) {
    for (Loss loss : Loss.values()) {
      if (loss.key().equals(key)) {
        return loss;
      }
    }
    throw new IllegalArgumentException("unknown loss '" + key + "'; use kl, jsd or mmd");
  }

  private static Entanglement entanglement(String key) {
    for (Entanglement e : Entanglement.values()) {
      if (e.name().toLowerCase().equals(key)) {
        return e;
      }
    }
    throw new IllegalArgumentException(
        "unknown entanglement '" + key + "'; use linear, reverse_linear, circular or full");
  }
}

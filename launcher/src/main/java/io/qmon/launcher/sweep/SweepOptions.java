package io.qmon.launcher.sweep;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Options of {@code qmon sweep <config.json> [--bootstrap-servers B --schema-registry-url R]
 * [--metrics-timeout-s S]}.
 *
 * @param bootstrapServers an existing Kafka cluster, or null to start the embedded stack
 * @param schemaRegistryUrl its registry (required with {@code --bootstrap-servers})
 * @param metricsTimeout how long to wait for each run's final metric record
 * @param halving {@code --halving}: successive halving on the live metrics and advice (one run per
 *     configuration), measured against every configuration run to the end
 * @param eta {@code --eta N} (default 2): 1/η of the configurations go on at each rung
 */
public record SweepOptions(
    Path config,
    String bootstrapServers,
    String schemaRegistryUrl,
    Duration metricsTimeout,
    boolean halving,
    int eta) {

  public SweepOptions {
    if ((bootstrapServers == null) != (schemaRegistryUrl == null)) {
      throw new IllegalArgumentException(
          "--bootstrap-servers and --schema-registry-url go together: give both or neither");
    }
  }

  /** True when the sweep runs against an existing cluster rather than an embedded stack. */
  public boolean external() {
    return bootstrapServers != null;
  }

  public static SweepOptions parse(String[] args) {
    Path config = null;
    String servers = null;
    String registry = null;
    long timeoutSeconds = 180;
    boolean halving = false;
    int eta = 2;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--bootstrap-servers" -> servers = value(args, ++i, "--bootstrap-servers");
        case "--schema-registry-url" -> registry = value(args, ++i, "--schema-registry-url");
        case "--halving" -> halving = true;
        case "--eta" -> {
          String text = value(args, ++i, "--eta");
          try {
            eta = Integer.parseInt(text);
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--eta must be a whole number >= 2, got " + text);
          }
        }
        case "--metrics-timeout-s" -> {
          String text = value(args, ++i, "--metrics-timeout-s");
          try {
            timeoutSeconds = Long.parseLong(text);
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--metrics-timeout-s must be seconds, got " + text);
          }
        }
        default -> {
          if (args[i].startsWith("--") || config != null) {
            throw new IllegalArgumentException("unexpected argument '" + args[i] + "'");
          }
          config = Path.of(args[i]);
        }
      }
    }
    if (config == null) {
      throw new IllegalArgumentException(
          "usage: qmon sweep <config.json> [--bootstrap-servers B --schema-registry-url R]"
              + " [--metrics-timeout-s S] [--halving [--eta N]]");
    }
    return new SweepOptions(
        config, servers, registry, Duration.ofSeconds(timeoutSeconds), halving, eta);
  }

  private static String value(String[] args, int i, String name) {
    if (i >= args.length) {
      throw new IllegalArgumentException(name + " needs a value");
    }
    return args[i];
  }
}

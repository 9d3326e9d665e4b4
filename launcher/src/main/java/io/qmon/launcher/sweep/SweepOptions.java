package io.qmon.launcher.sweep;

import io.qmon.cli.Cli;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Options of {@code qmon sweep <config.json> [--kafka.bootstrap-servers B --schema-registry.url R]
 * [--metrics-timeout-s S] [--halving [--eta N] [--grace-period G]]}.
 *
 * @param bootstrapServers an existing Kafka cluster, or null to start the embedded stack
 * @param schemaRegistryUrl its registry (required with {@code --bootstrap-servers})
 * @param metricsTimeout how long to wait for each run's final metric record
 * @param halving {@code --halving}: successive halving on the live metrics and advice (one run per
 *     configuration), measured against every configuration run to the end
 * @param eta {@code --eta N} (default 2): 1/η of the configurations go on at each rung
 * @param gracePeriod {@code --grace-period G}: no configuration is cut before epoch G (0: the first
 *     rung the rule places, at least the level's epochs)
 */
public record SweepOptions(
    Path config,
    String bootstrapServers,
    String schemaRegistryUrl,
    Duration metricsTimeout,
    boolean halving,
    int eta,
    int gracePeriod) {

  public SweepOptions {
    if ((bootstrapServers == null) != (schemaRegistryUrl == null)) {
      throw new IllegalArgumentException(
          "--kafka.bootstrap-servers and --schema-registry.url go together: give both or"
              + " neither");
    }
  }

  /** True when the sweep runs against an existing cluster rather than an embedded stack. */
  public boolean external() {
    return bootstrapServers != null;
  }

  /** Parses {@code <config.json> [--kafka.bootstrap-servers B --schema-registry.url R] ...}. */
  public static SweepOptions parse(String[] args) {
    return Cli.parse(new Arguments(), args).toOptions();
  }

  /**
   * The options as picocli declares them; {@code qmon sweep} mixes them into its command. The
   * cluster options carry the job's configuration keys; the older {@code --bootstrap-servers} and
   * {@code --schema-registry-url} still work.
   */
  @Command(name = "sweep")
  public static final class Arguments {
    @Parameters(
        index = "0",
        paramLabel = "<config.json>",
        description = "The sweep configuration, e.g. producers/examples/sweep.json.")
    Path config;

    @Option(
        names = {"--kafka.bootstrap-servers", "--bootstrap-servers"},
        paramLabel = "<host:port,...>",
        description =
            "Run against this Kafka cluster (with its monitoring job) instead of starting the"
                + " embedded stack.")
    String bootstrapServers;

    @Option(
        names = {"--schema-registry.url", "--schema-registry-url"},
        paramLabel = "<url>",
        description = "Its schema registry (Confluent API); required with the bootstrap servers.")
    String schemaRegistryUrl;

    @Option(
        names = "--metrics-timeout-s",
        paramLabel = "<seconds>",
        defaultValue = "180",
        description = "How long to wait for each run's final metric record, in seconds.")
    long metricsTimeoutSeconds;

    @Option(
        names = "--halving",
        description =
            "Successive halving on the job's live metrics and advice (one run per configuration),"
                + " measured against running every configuration to the end.")
    boolean halving;

    @Option(
        names = "--eta",
        paramLabel = "<n>",
        defaultValue = "2",
        description = "With --halving: 1/eta of the configurations go on at each rung (>= 2).")
    int eta;

    @Option(
        names = "--grace-period",
        paramLabel = "<epochs>",
        defaultValue = "0",
        description =
            "With --halving: cut no configuration before this epoch, so slow starters get a chance"
                + " (ASHA's grace_period; 0 = the rule's first rung).")
    int gracePeriod;

    /** The options, validated. */
    public SweepOptions toOptions() {
      if (metricsTimeoutSeconds < 1) {
        throw new IllegalArgumentException(
            "--metrics-timeout-s must be >= 1, got " + metricsTimeoutSeconds);
      }
      if (eta < 2) {
        throw new IllegalArgumentException("--eta must be a whole number >= 2, got " + eta);
      }
      if (gracePeriod < 0) {
        throw new IllegalArgumentException("--grace-period must be >= 0, got " + gracePeriod);
      }
      return new SweepOptions(
          config,
          bootstrapServers,
          schemaRegistryUrl,
          Duration.ofSeconds(metricsTimeoutSeconds),
          halving,
          eta,
          gracePeriod);
    }
  }
}

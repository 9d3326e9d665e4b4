package io.qmon.launcher.demo;

import io.qmon.cli.Cli;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Options of {@code qmon demo}.
 *
 * @param runs healthy simulated training runs at once, in pairs repeating one sweep configuration
 * @param durationSeconds how long the runs train
 * @param shots shots per epoch
 * @param epochIntervalMs pause between epochs of one run
 * @param plain print a plain log of table snapshots instead of redrawing the screen
 * @param fresh delete the state kept under {@code qmon.home} (broker, registry, checkpoints) first
 */
public record DemoOptions(
    int runs, int durationSeconds, int shots, long epochIntervalMs, boolean plain, boolean fresh) {

  public static final DemoOptions DEFAULTS = new DemoOptions(4, 60, 1024, 250, false, false);

  public DemoOptions {
    if (runs < 1 || runs > 64) {
      throw new IllegalArgumentException("--runs must be in [1, 64], got " + runs);
    }
    if (durationSeconds < 1) {
      throw new IllegalArgumentException("--duration-s must be >= 1, got " + durationSeconds);
    }
    if (shots < 1) {
      throw new IllegalArgumentException("--shots must be >= 1, got " + shots);
    }
    if (epochIntervalMs < 0) {
      throw new IllegalArgumentException(
          "--epoch-interval-ms must be >= 0, got " + epochIntervalMs);
    }
  }

  /** Epochs each run trains: enough to fill the duration at the epoch interval. */
  public int epochs() {
    return (int) Math.max(1, durationSeconds * 1000L / Math.max(1, epochIntervalMs));
  }

  /**
   * Parses {@code --runs 4 --duration-s 60 --shots 1024 --epoch-interval-ms 250 --plain --fresh}.
   */
  public static DemoOptions parse(String[] args) {
    return Cli.parse(new Arguments(), args).toOptions();
  }

  /** The options as picocli declares them; {@code qmon demo} mixes them into its command. */
  @Command(name = "demo")
  public static final class Arguments {
    @Option(
        names = "--runs",
        paramLabel = "<n>",
        defaultValue = "4",
        description =
            "Healthy simulated training runs at once, in pairs that repeat one sweep configuration (qubits 3..6 by pair), 1 to 64.")
    int runs;

    @Option(
        names = "--duration-s",
        paramLabel = "<seconds>",
        defaultValue = "60",
        description = "How long the runs train, in seconds.")
    int durationSeconds;

    @Option(
        names = "--shots",
        paramLabel = "<n>",
        defaultValue = "1024",
        description = "Shots per epoch.")
    int shots;

    @Option(
        names = "--epoch-interval-ms",
        paramLabel = "<ms>",
        defaultValue = "250",
        description = "Pause between epochs of one run, in milliseconds.")
    long epochIntervalMs;

    @Option(
        names = "--plain",
        description =
            "Print a plain log of table snapshots instead of redrawing the screen (automatic when"
                + " the output is not a terminal).")
    Boolean plain;

    @Option(
        names = "--fresh",
        description =
            "Delete the state kept under .qmon/ (the broker's topics, the registry's schemas, the"
                + " job's checkpoints, the ports) first; -Dqmon.persist=false keeps none.")
    boolean fresh;

    /** The options, validated. */
    public DemoOptions toOptions() {
      return new DemoOptions(
          runs,
          durationSeconds,
          shots,
          epochIntervalMs,
          plain != null ? plain : System.console() == null,
          fresh);
    }
  }
}

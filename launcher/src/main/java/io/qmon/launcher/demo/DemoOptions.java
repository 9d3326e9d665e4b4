package io.qmon.launcher.demo;

/**
 * Options of {@code qmon demo}.
 *
 * @param runs simulated training runs at once (qubits cycle through 3..6)
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
    int runs = DEFAULTS.runs;
    int duration = DEFAULTS.durationSeconds;
    int shots = DEFAULTS.shots;
    long interval = DEFAULTS.epochIntervalMs;
    boolean plain = System.console() == null;
    boolean fresh = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--plain")) {
        plain = true;
        continue;
      }
      if (arg.equals("--fresh")) {
        fresh = true;
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("option " + arg + " needs a value");
      }
      String value = args[++i];
      try {
        switch (arg) {
          case "--runs" -> runs = Integer.parseInt(value);
          case "--duration-s" -> duration = Integer.parseInt(value);
          case "--shots" -> shots = Integer.parseInt(value);
          case "--epoch-interval-ms" -> interval = Long.parseLong(value);
          default ->
              throw new IllegalArgumentException(
                  "unknown option "
                      + arg
                      + "; known: --runs, --duration-s, --shots, --epoch-interval-ms, --plain,"
                      + " --fresh");
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "option " + arg + " needs a number, got '" + value + "'");
      }
    }
    return new DemoOptions(runs, duration, shots, interval, plain, fresh);
  }
}

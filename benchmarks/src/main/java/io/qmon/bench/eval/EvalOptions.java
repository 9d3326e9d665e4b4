package io.qmon.bench.eval;

import io.qmon.jobs.detect.DetectorCatalog;
import java.util.ArrayList;
import java.util.List;

/**
 * Options of {@code qmon eval-detectors}, parsed and checked up front.
 *
 * @param healthyRuns healthy streams
 * @param runsPerFault streams per fault type (noise drift's are split over its strengths)
 * @param epochs epochs per stream
 * @param seed seeds every stream; the same seed prints the same table
 * @param horizon a fault counts as caught when an alert fires within this many epochs of it
 * @param selections {@code job.detectors} selections to compare
 * @param river whether to run River's detectors (needs the project virtualenv)
 */
public record EvalOptions(
    int healthyRuns,
    int runsPerFault,
    int epochs,
    long seed,
    int horizon,
    List<String> selections,
    boolean river) {

  /**
   * The default selection with {@code uniform-cusum} as it was before it read {@code
   * window_shift_uniform_share}, kept for comparison.
   */
  static final String DEFAULTS_BEFORE_UNIFORM_SHARE =
      "jsd-zscore,mode-collapse,shots-drop,distribution-shift,"
          + "uniform-cusum(slack=2.0;limit=16.0;min-shift=3.0;min-share=0;target-ratio=0)";

  /**
   * The default selection with {@code uniform-cusum} as it was before it read {@code
   * window_shift_target} (slack 1.5), kept for comparison.
   */
  static final String DEFAULTS_BEFORE_TARGET_SHIFT =
      "jsd-zscore,mode-collapse,shots-drop,distribution-shift,"
          + "uniform-cusum(slack=1.5;target-ratio=0)";

  static final String USAGE =
      "usage: qmon eval-detectors [--healthy N=30] [--per-fault N=9] [--epochs N=120] [--seed S=1]"
          + " [--horizon N=20] [--detectors SELECTION]... [--no-river]";

  public static EvalOptions parse(String[] args) {
    int healthy = 30;
    int perFault = 9;
    int epochs = 120;
    long seed = 1;
    int horizon = 20;
    List<String> selections = new ArrayList<>();
    boolean river = true;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--healthy" -> healthy = positive(a, value(args, ++i, a));
        case "--per-fault" -> perFault = positive(a, value(args, ++i, a));
        case "--epochs" -> epochs = positive(a, value(args, ++i, a));
        case "--seed" -> seed = Long.parseLong(value(args, ++i, a));
        case "--horizon" -> horizon = positive(a, value(args, ++i, a));
        case "--detectors" -> selections.add(value(args, ++i, a));
        case "--no-river" -> river = false;
        default -> throw new IllegalArgumentException("unknown option " + a + "; " + USAGE);
      }
    }
    if (epochs < 80) {
      throw new IllegalArgumentException(
          "--epochs must be >= 80 (faults start between 40% and 75% of the run), got " + epochs);
    }
    if (selections.isEmpty()) {
      selections.add(DetectorCatalog.PREVIOUS_DEFAULTS);
      selections.add(DetectorCatalog.DEFAULTS_WITHOUT_UNIFORM_CUSUM);
      selections.add(DEFAULTS_BEFORE_UNIFORM_SHARE);
      selections.add(DEFAULTS_BEFORE_TARGET_SHIFT);
      selections.add(DetectorCatalog.DEFAULTS);
      selections.add(DetectorCatalog.DEFAULTS + ",uniform-drift");
      selections.add(DetectorCatalog.DEFAULTS + ",jsd-trend");
    }
    for (String s : selections) {
      DetectorCatalog.factory(s);
    }
    return new EvalOptions(healthy, perFault, epochs, seed, horizon, selections, river);
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value; " + USAGE);
    }
    return args[i];
  }

  private static int positive(String option, String raw) {
    int v;
    try {
      v = Integer.parseInt(raw);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " " + raw + " is not a whole number", e);
    }
    if (v < 1) {
      throw new IllegalArgumentException(option + " must be >= 1, got " + v);
    }
    return v;
  }
}

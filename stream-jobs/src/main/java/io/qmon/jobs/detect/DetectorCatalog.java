package io.qmon.jobs.detect;

import io.qmon.metrics.MetricNames;
import io.qmon.metrics.detect.CusumDetector;
import io.qmon.metrics.detect.Detector;
import io.qmon.metrics.detect.Direction;
import io.qmon.metrics.detect.DistributionShiftDetector;
import io.qmon.metrics.detect.EwmaDetector;
import io.qmon.metrics.detect.ModeCollapseDetector;
import io.qmon.metrics.detect.NoiseFloorDetector;
import io.qmon.metrics.detect.PaceCusumDetector;
import io.qmon.metrics.detect.RollingZScoreDetector;
import io.qmon.metrics.detect.Severity;
import io.qmon.metrics.detect.ShotsDropDetector;
import io.qmon.metrics.detect.TrendCusumDetector;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The detectors the job can run, by name, with the metric library's defaults or with parameters. A
 * training run's divergence is supposed to fall, so the default selection watches only for bad
 * moves: a jump up, no progress, a collapse of modes. Two-sided CUSUM and EWMA charts also flag the
 * fall of a healthy run and suit converged or production models; enable them explicitly.
 *
 * <p>Syntax of {@code job.detectors}: comma-separated names, each optionally followed by parameters
 * in parentheses separated by semicolons, e.g. {@code jsd-zscore(z=5;window=100),mode-collapse}.
 * Unknown names, unknown parameters and out-of-range values are refused when the job is built,
 * naming what is wrong.
 */
public final class DetectorCatalog {
  /**
   * The default selection of {@code job.detectors}, chosen with {@code qmon eval-detectors} (see
   * the README): shots-drop (no false alarm possible on a run whose shots stay put), mode-collapse
   * after 2 collapsed epochs and a warm-up of 40, distribution-shift (the generated counts against
   * their own recent window), which caught divergence and qGAN oscillation at delay 0, and
   * uniform-cusum (their move towards uniform accumulated over epochs), which catches noise drift
   * of λ ≥ 0.25 where it exceeds sampling noise. Convergence, plateau and barren plateau are the
   * advice stage's (no INFO stalled detector).
   */
  public static final String DEFAULTS =
      "jsd-zscore,mode-collapse,shots-drop,distribution-shift,uniform-cusum";

  /** The default selection before uniform-cusum, kept for {@code qmon eval-detectors}. */
  public static final String DEFAULTS_WITHOUT_UNIFORM_CUSUM =
      "jsd-zscore,mode-collapse,shots-drop,distribution-shift";

  /**
   * The selection before the benchmark, kept so {@code qmon eval-detectors} can show the change
   * (its INFO jsd-stalled detector has since moved to the advice stage).
   */
  public static final String PREVIOUS_DEFAULTS = "jsd-zscore,mode-collapse(warmup=0),shots-drop";

  /** One selectable detector: its parameters with defaults, and how to build it from them. */
  private record Entry(Map<String, String> defaults, Builder builder) implements Serializable {
    /**
     * The entry of a detector whose parameters and their defaults are those of {@code
     * libraryDefault}, the metric library's default-built detector: one source for the defaults.
     */
    static Entry of(Detector<? extends Serializable> libraryDefault, Builder builder) {
      Map<String, String> defaults = new LinkedHashMap<>();
      libraryDefault.parameters().forEach((name, value) -> defaults.put(name, value.toString()));
      return new Entry(Map.copyOf(defaults), builder);
    }
  }

  /** The clock of the default-built detectors the defaults are read from; they never observe. */
  private static final LongSupplier NO_CLOCK = () -> 0L;

  @FunctionalInterface
  private interface Builder extends Serializable {
    Detector<? extends Serializable> build(Params p, LongSupplier clock);
  }

  private static final Map<String, Entry> BY_NAME = new LinkedHashMap<>();

  static {
    BY_NAME.put(
        "jsd-zscore",
        Entry.of(
            RollingZScoreDetector.defaults(MetricNames.JSD, Direction.UP, NO_CLOCK),
            (p, clock) ->
                new RollingZScoreDetector(
                    MetricNames.JSD,
                    Direction.UP,
                    p.integer("window"),
                    p.integer("min-samples"),
                    p.decimal("z"),
                    1e-12,
                    p.integer("fire-after"),
                    p.integer("resolve-after"),
                    Severity.WARNING,
                    clock)));
    BY_NAME.put(
        "jsd-ewma",
        Entry.of(
            EwmaDetector.defaults(MetricNames.JSD, Direction.UP, NO_CLOCK),
            (p, clock) ->
                new EwmaDetector(
                    MetricNames.JSD,
                    Direction.UP,
                    p.decimal("lambda"),
                    p.decimal("width"),
                    p.integer("warmup"),
                    p.decimal("min-stddev"),
                    p.integer("fire-after"),
                    p.integer("resolve-after"),
                    Severity.WARNING,
                    clock)));
    BY_NAME.put(
        "jsd-cusum",
        Entry.of(
            CusumDetector.defaults(MetricNames.JSD, NO_CLOCK),
            (p, clock) ->
                new CusumDetector(
                    MetricNames.JSD,
                    p.decimal("slack"),
                    p.decimal("limit"),
                    p.integer("warmup"),
                    p.decimal("min-stddev"),
                    p.integer("resolve-after"),
                    Severity.WARNING,
                    clock)));
    BY_NAME.put(
        "jsd-noise-floor",
        Entry.of(
            NoiseFloorDetector.defaults(MetricNames.JSD, NO_CLOCK),
            (p, clock) ->
                new NoiseFloorDetector(
                    MetricNames.JSD,
                    p.decimal("factor"),
                    p.integer("fire-after"),
                    p.integer("resolve-after"),
                    Severity.WARNING,
                    clock)));
    BY_NAME.put("jsd-trend", trend(MetricNames.JSD));
    BY_NAME.put(
        "shots-drop",
        Entry.of(
            ShotsDropDetector.defaults(MetricNames.JSD, NO_CLOCK),
            (p, clock) ->
                new ShotsDropDetector(
                    MetricNames.JSD,
                    p.decimal("ratio"),
                    p.integer("resolve-after"),
                    Severity.WARNING,
                    clock)));
    BY_NAME.put(
        "distribution-shift",
        Entry.of(
            DistributionShiftDetector.defaults(NO_CLOCK),
            (p, clock) ->
                new DistributionShiftDetector(
                    p.integer("window"),
                    p.integer("min-samples"),
                    p.decimal("width"),
                    p.decimal("min-shift"),
                    p.integer("fire-after"),
                    p.integer("resolve-after"),
                    Severity.WARNING,
                    clock)));
    DistributionShiftDetector uniformDrift =
        DistributionShiftDetector.uniformDriftDefaults(NO_CLOCK);
    String uniformDriftName = uniformDrift.name();
    String uniformDriftMetric = uniformDrift.metric();
    BY_NAME.put(
        uniformDriftName,
        Entry.of(
            uniformDrift,
            (p, clock) ->
                new DistributionShiftDetector(
                    uniformDriftName,
                    uniformDriftMetric,
                    p.integer("window"),
                    p.integer("min-samples"),
                    p.decimal("width"),
                    p.decimal("min-shift"),
                    p.integer("fire-after"),
                    p.integer("resolve-after"),
                    Severity.WARNING,
                    clock)));
    BY_NAME.put("uniform-cusum", paceCusum(PaceCusumDetector.uniformCusumDefaults(NO_CLOCK)));
    BY_NAME.put(
        "mode-collapse",
        Entry.of(
            ModeCollapseDetector.defaults(NO_CLOCK),
            (p, clock) ->
                new ModeCollapseDetector(
                    p.integer("window"),
                    p.integer("warmup"),
                    p.decimal("coverage-drop"),
                    p.decimal("coverage-ratio"),
                    p.decimal("entropy-drop"),
                    p.integer("fire-after"),
                    p.integer("resolve-after"),
                    Severity.CRITICAL,
                    clock)));
  }

  /**
   * A drift towards uniform accumulated over epochs against the run's own pace (see {@link
   * PaceCusumDetector}).
   */
  private static Entry paceCusum(PaceCusumDetector libraryDefault) {
    String name = libraryDefault.name();
    String metric = libraryDefault.metric();
    String shareMetric = libraryDefault.shareMetric();
    String targetMetric = libraryDefault.targetMetric();
    return Entry.of(
        libraryDefault,
        (p, clock) ->
            new PaceCusumDetector(
                name,
                metric,
                p.integer("window"),
                p.integer("min-samples"),
                p.decimal("slack"),
                p.decimal("cap"),
                p.decimal("limit"),
                p.decimal("min-shift"),
                shareMetric,
                p.decimal("min-share"),
                targetMetric,
                p.decimal("target-ratio"),
                p.integer("resolve-after"),
                Severity.WARNING,
                clock));
  }

  /**
   * A rise of a training curve against its own recent level, in units of its recent noise and never
   * below its shot noise (see {@link TrendCusumDetector}).
   */
  private static Entry trend(String metric) {
    TrendCusumDetector libraryDefault = TrendCusumDetector.defaults(metric, NO_CLOCK);
    String name = libraryDefault.name();
    return Entry.of(
        libraryDefault,
        (p, clock) ->
            new TrendCusumDetector(
                name,
                metric,
                p.integer("window"),
                p.integer("min-samples"),
                p.decimal("slack"),
                p.decimal("limit"),
                p.decimal("min-scale"),
                p.decimal("min-relative-rise"),
                p.integer("resolve-after"),
                Severity.WARNING,
                clock));
  }

  private DetectorCatalog() {}

  /** One detector of a selection: its name and its parameters, defaults filled in. */
  record Selected(String name, Params params) implements Serializable {}

  /** Parameter values by name, each read as the type the detector needs. */
  record Params(String detector, Map<String, String> values) implements Serializable {
    int integer(String key) {
      return read(key, Integer::parseInt, "a whole number");
    }

    double decimal(String key) {
      return read(key, Double::parseDouble, "a number");
    }

    private <T> T read(String key, Function<String, T> parse, String what) {
      String raw = values.get(key);
      try {
        return parse.apply(raw);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "job.detectors: " + detector + " " + key + "=" + raw + " is not " + what);
      }
    }
  }

  /**
   * A serializable factory for a selection, validated now: every detector is built once here, so a
   * bad name, parameter or value fails when the job is built, not on its first event.
   */
  public static DetectAnomalies.DetectorFactory factory(String selection) {
    List<Selected> selected = parse(selection);
    for (Selected s : selected) {
      try {
        BY_NAME.get(s.name()).builder().build(s.params(), () -> 0L);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "job.detectors: " + s.name() + s.params().values() + " is invalid: " + e.getMessage(),
            e);
      }
    }
    return clock -> {
      List<Detector<? extends Serializable>> detectors = new ArrayList<>();
      for (Selected s : selected) {
        detectors.add(BY_NAME.get(s.name()).builder().build(s.params(), clock));
      }
      return detectors;
    };
  }

  /** The parameter names and defaults of every detector, for documentation and errors. */
  public static Map<String, Map<String, String>> parameters() {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    BY_NAME.forEach((name, entry) -> out.put(name, Map.copyOf(entry.defaults())));
    return out;
  }

  static List<Selected> parse(String selection) {
    List<Selected> selected = new ArrayList<>();
    for (String raw : splitOutsideParentheses(selection)) {
      String item = raw.trim();
      if (item.isEmpty()) {
        continue;
      }
      int open = item.indexOf('(');
      String name = (open < 0 ? item : item.substring(0, open)).trim();
      Entry entry = BY_NAME.get(name);
      if (entry == null) {
        throw new IllegalArgumentException(
            "Unknown detector '" + name + "' in job.detectors; known: " + BY_NAME.keySet());
      }
      Map<String, String> values = new LinkedHashMap<>(entry.defaults());
      if (open >= 0) {
        if (!item.endsWith(")")) {
          throw new IllegalArgumentException(
              "job.detectors: '" + item + "' needs a closing parenthesis");
        }
        for (String pair : item.substring(open + 1, item.length() - 1).split(";")) {
          if (pair.isBlank()) {
            continue;
          }
          int eq = pair.indexOf('=');
          String key = eq < 0 ? pair.trim() : pair.substring(0, eq).trim();
          if (eq < 0 || !entry.defaults().containsKey(key)) {
            Set<String> known = new TreeSet<>(entry.defaults().keySet());
            throw new IllegalArgumentException(
                "job.detectors: "
                    + name
                    + " has no parameter '"
                    + pair.trim()
                    + "' (write key=value); known: "
                    + known);
          }
          values.put(key, pair.substring(eq + 1).trim());
        }
      }
      selected.add(new Selected(name, new Params(name, Map.copyOf(values))));
    }
    return selected;
  }

  private static List<String> splitOutsideParentheses(String selection) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < selection.length(); i++) {
      char c = selection.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        parts.add(selection.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(selection.substring(start));
    return parts;
  }
}

package io.qmon.jobs.functions;

import io.qmon.metrics.MetricNames;
import io.qmon.metrics.detect.CusumDetector;
import io.qmon.metrics.detect.Detector;
import io.qmon.metrics.detect.Direction;
import io.qmon.metrics.detect.EwmaDetector;
import io.qmon.metrics.detect.ModeCollapseDetector;
import io.qmon.metrics.detect.NoiseFloorDetector;
import io.qmon.metrics.detect.RollingZScoreDetector;
import io.qmon.metrics.detect.StalledTrainingDetector;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.LongSupplier;

/**
 * The detectors the job can run, by name, each with the metric library's defaults. A training run's
 * divergence is supposed to fall, so the defaults watch only for bad moves: a jump up, no progress,
 * a collapse of modes. Two-sided CUSUM and EWMA charts also flag the fall of a healthy run and suit
 * converged or production models; enable them explicitly.
 */
public final class DetectorCatalog {
  /** The default selection of {@code job.detectors}. */
  public static final String DEFAULTS = "jsd-zscore,stalled,mode-collapse";

  private static final Map<
          String, BiFunction<String, LongSupplier, Detector<? extends Serializable>>>
      BY_NAME =
          Map.of(
              "jsd-zscore",
              (m, clock) -> RollingZScoreDetector.defaults(MetricNames.JSD, Direction.UP, clock),
              "jsd-ewma",
              (m, clock) -> EwmaDetector.defaults(MetricNames.JSD, Direction.UP, clock),
              "jsd-cusum",
              (m, clock) -> CusumDetector.defaults(MetricNames.JSD, clock),
              "jsd-noise-floor",
              (m, clock) -> NoiseFloorDetector.defaults(MetricNames.JSD, clock),
              "stalled",
              (m, clock) -> StalledTrainingDetector.defaults(MetricNames.JSD, true, clock),
              "mode-collapse",
              (m, clock) -> ModeCollapseDetector.defaults(clock));

  private DetectorCatalog() {}

  /** A serializable factory for a comma-separated selection, validated now (fail at submit). */
  public static DetectAnomalies.DetectorFactory factory(String selection) {
    List<String> names = parse(selection);
    return clock -> {
      List<Detector<? extends Serializable>> detectors = new ArrayList<>();
      for (String name : names) {
        detectors.add(BY_NAME.get(name).apply(name, clock));
      }
      return detectors;
    };
  }

  static List<String> parse(String selection) {
    List<String> names = new ArrayList<>();
    for (String raw : selection.split(",")) {
      String name = raw.trim();
      if (name.isEmpty()) {
        continue;
      }
      if (!BY_NAME.containsKey(name)) {
        throw new IllegalArgumentException(
            "Unknown detector '" + name + "' in job.detectors; known: " + BY_NAME.keySet());
      }
      names.add(name);
    }
    return names;
  }
}

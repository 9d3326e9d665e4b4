package io.qmon.metrics.detect;

import io.qmon.metrics.MetricNames;
import io.qmon.metrics.MetricSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * What detectors see of one epoch: metric values and the upper shot-noise floors of those that have
 * one, by {@link MetricNames} name.
 */
public final class Observation {
  private final long epoch;
  private final Map<String, Double> values;
  private final Map<String, Double> floors;

  private Observation(long epoch, Map<String, Double> values, Map<String, Double> floors) {
    this.epoch = epoch;
    this.values = Collections.unmodifiableMap(Objects.requireNonNull(values, "values"));
    this.floors = Collections.unmodifiableMap(Objects.requireNonNull(floors, "floors"));
  }

  /**
   * Values and floors given directly. They are viewed, not copied (this runs once per epoch per
   * run): do not change the maps while the observation is in use.
   */
  public static Observation of(long epoch, Map<String, Double> values, Map<String, Double> floors) {
    return new Observation(epoch, values, floors);
  }

  /** Every value of a metric set with the upper floors of its divergences. */
  public static Observation of(long epoch, MetricSet set) {
    Map<String, Double> floors = new HashMap<>();
    for (String metric : MetricNames.WITH_FLOOR) {
      set.floor(metric).ifPresent(f -> floors.put(metric, f.upper()));
    }
    return new Observation(epoch, set.values(), floors);
  }

  public long epoch() {
    return epoch;
  }

  /** The metric's value in this epoch, if reported. */
  public OptionalDouble value(String metric) {
    Double v = values.get(metric);
    return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
  }

  /** The metric's upper shot-noise floor in this epoch, if it has one. */
  public OptionalDouble floor(String metric) {
    Double v = floors.get(metric);
    return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
  }
}

package io.qmon.jobs.score;

import io.qmon.metrics.MetricNames;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * What a run's summary record reports, accumulated epoch by epoch: the final value of every metric,
 * the best (lowest) JSD and its epoch, and the area under the JSD curve over epochs (trapezoid
 * rule, in bit·epochs), so runs of different lengths can be compared by how fast they converged.
 *
 * <p>Constant size whatever the run's length: epochs come in order (the job dead-letters an epoch
 * that goes backwards), so the area grows one trapezoid at a time. Several records of one epoch
 * (one per circuit) count as one point of the curve, the last one seen; the best JSD is the lowest
 * any record had.
 */
public final class RunSummary implements Serializable {
  private static final long serialVersionUID = 2L;

  /** Summary metric keys. */
  public static final String EPOCHS_SCORED = "epochs_scored";

  public static final String BEST_JSD = "best_jsd";
  public static final String BEST_EPOCH = "best_epoch";
  public static final String JSD_AUC = "jsd_auc";
  public static final String FINAL_PREFIX = "final_";

  /** Area under the JSD curve up to the second-to-last epoch of the curve. */
  private double areaBeforeLast;

  private int points;
  private int previousEpoch;
  private double previousJsd;
  private int lastJsdEpoch;
  private double lastJsd;
  private double bestJsd = Double.NaN;
  private int bestEpoch;
  private HashMap<String, Double> finalValues = new HashMap<>();
  private int firstEpoch = Integer.MAX_VALUE;
  private int lastEpoch = Integer.MIN_VALUE;
  private long lastEventTimeMillis;
  private long shots;
  private int qubits;
  private String targetId;

  /**
   * Adds one scored epoch.
   *
   * @throws IllegalArgumentException when the epoch is below the last one added
   */
  public void add(
      int epoch,
      long eventTimeMillis,
      Map<String, Double> metrics,
      int qubits,
      long shots,
      String targetId) {
    if (epoch < lastEpoch) {
      throw new IllegalArgumentException(
          "epoch " + epoch + " after epoch " + lastEpoch + ": a run's epochs must not go back");
    }
    Double jsd = metrics.get(MetricNames.JSD);
    if (jsd != null) {
      addJsd(epoch, jsd);
    }
    lastEpoch = epoch;
    lastEventTimeMillis = eventTimeMillis;
    // The scored record's map is never changed after it is emitted: keep it, do not copy it.
    // (A HashMap, like everything in this state, so a checkpoint can serialize and restore it.)
    finalValues = metrics instanceof HashMap<String, Double> map ? map : new HashMap<>(metrics);
    firstEpoch = Math.min(firstEpoch, epoch);
    this.qubits = qubits;
    this.shots = shots;
    this.targetId = targetId;
  }

  private void addJsd(int epoch, double jsd) {
    if (points > 0 && epoch == lastJsdEpoch) {
      lastJsd = jsd;
    } else {
      if (points > 1) {
        areaBeforeLast += trapezoid(previousEpoch, previousJsd, lastJsdEpoch, lastJsd);
      }
      previousEpoch = lastJsdEpoch;
      previousJsd = lastJsd;
      lastJsdEpoch = epoch;
      lastJsd = jsd;
      points++;
    }
    if (Double.isNaN(bestJsd) || jsd < bestJsd) {
      bestJsd = jsd;
      bestEpoch = epoch;
    }
  }

  private static double trapezoid(int x0, double y0, int x1, double y1) {
    return 0.5 * (y0 + y1) * (x1 - x0);
  }

  public boolean isEmpty() {
    return points == 0 && finalValues.isEmpty();
  }

  /** The summary values: {@code final_<metric>}, best_jsd, best_epoch, jsd_auc, epochs_scored. */
  public Map<String, Double> values() {
    Map<String, Double> out = new HashMap<>();
    finalValues.forEach((name, value) -> out.put(FINAL_PREFIX + name, value));
    out.put(EPOCHS_SCORED, (double) points);
    if (points > 0) {
      double area =
          areaBeforeLast
              + (points > 1 ? trapezoid(previousEpoch, previousJsd, lastJsdEpoch, lastJsd) : 0);
      out.put(BEST_JSD, bestJsd);
      out.put(BEST_EPOCH, (double) bestEpoch);
      out.put(JSD_AUC, area);
    }
    return out;
  }

  public int firstEpoch() {
    return firstEpoch == Integer.MAX_VALUE ? 0 : firstEpoch;
  }

  public int lastEpoch() {
    return lastEpoch == Integer.MIN_VALUE ? 0 : lastEpoch;
  }

  public long lastEventTimeMillis() {
    return lastEventTimeMillis;
  }

  public int qubits() {
    return qubits;
  }

  public long shots() {
    return shots;
  }

  public String targetId() {
    return targetId;
  }
}

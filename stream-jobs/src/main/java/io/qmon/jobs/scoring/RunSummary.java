package io.qmon.jobs.scoring;

import io.qmon.metrics.MetricNames;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * What a run's summary record reports, accumulated epoch by epoch: the final value of every metric,
 * the best (lowest) JSD and its epoch, and the area under the JSD curve over epochs (trapezoid
 * rule, in bit·epochs), so runs of different lengths can be compared by how fast they converged.
 * Epochs may arrive out of order; the curve is integrated in epoch order.
 */
public final class RunSummary implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Summary metric keys. */
  public static final String EPOCHS_SCORED = "epochs_scored";

  public static final String BEST_JSD = "best_jsd";
  public static final String BEST_EPOCH = "best_epoch";
  public static final String JSD_AUC = "jsd_auc";
  public static final String FINAL_PREFIX = "final_";

  private final java.util.TreeMap<Integer, Double> jsdByEpoch = new java.util.TreeMap<>();
  private final HashMap<String, Double> finalValues = new HashMap<>();
  private int firstEpoch = Integer.MAX_VALUE;
  private int lastEpoch = Integer.MIN_VALUE;
  private long lastEventTimeMillis;
  private long shots;
  private int qubits;
  private String targetId;

  /** Adds one scored epoch. */
  public void add(
      int epoch,
      long eventTimeMillis,
      Map<String, Double> metrics,
      int qubits,
      long shots,
      String targetId) {
    Double jsd = metrics.get(MetricNames.JSD);
    if (jsd != null) {
      jsdByEpoch.put(epoch, jsd);
    }
    if (epoch >= lastEpoch) {
      lastEpoch = epoch;
      lastEventTimeMillis = eventTimeMillis;
      finalValues.clear();
      finalValues.putAll(metrics);
    }
    firstEpoch = Math.min(firstEpoch, epoch);
    this.qubits = qubits;
    this.shots = shots;
    this.targetId = targetId;
  }

  public boolean isEmpty() {
    return jsdByEpoch.isEmpty() && finalValues.isEmpty();
  }

  /** The summary values: {@code final_<metric>}, best_jsd, best_epoch, jsd_auc, epochs_scored. */
  public Map<String, Double> values() {
    Map<String, Double> out = new HashMap<>();
    finalValues.forEach((name, value) -> out.put(FINAL_PREFIX + name, value));
    out.put(EPOCHS_SCORED, (double) jsdByEpoch.size());
    if (!jsdByEpoch.isEmpty()) {
      Map.Entry<Integer, Double> best = null;
      double area = 0;
      Map.Entry<Integer, Double> previous = null;
      for (Map.Entry<Integer, Double> point : jsdByEpoch.entrySet()) {
        if (best == null || point.getValue() < best.getValue()) {
          best = point;
        }
        if (previous != null) {
          area +=
              0.5 * (previous.getValue() + point.getValue()) * (point.getKey() - previous.getKey());
        }
        previous = point;
      }
      out.put(BEST_JSD, best.getValue());
      out.put(BEST_EPOCH, (double) best.getKey());
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

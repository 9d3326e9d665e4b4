package io.qmon.jobs.scoring;

import io.qmon.metrics.MetricNames;
import java.io.Serializable;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

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

  /** JSD by epoch, in arrival order: appending is cheap; {@link #values()} sorts once. */
  private int[] epochs = new int[16];

  private double[] jsds = new double[16];
  private int points;
  private HashMap<String, Double> finalValues = new HashMap<>();
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
      if (points == epochs.length) {
        epochs = Arrays.copyOf(epochs, points * 2);
        jsds = Arrays.copyOf(jsds, points * 2);
      }
      epochs[points] = epoch;
      jsds[points] = jsd;
      points++;
    }
    if (epoch >= lastEpoch) {
      lastEpoch = epoch;
      lastEventTimeMillis = eventTimeMillis;
      // The scored record's map is never changed after it is emitted: keep it, do not copy it.
      // (A HashMap, like everything in this state, so a checkpoint can serialize and restore it.)
      finalValues = metrics instanceof HashMap<String, Double> map ? map : new HashMap<>(metrics);
    }
    firstEpoch = Math.min(firstEpoch, epoch);
    this.qubits = qubits;
    this.shots = shots;
    this.targetId = targetId;
  }

  public boolean isEmpty() {
    return points == 0 && finalValues.isEmpty();
  }

  /** The summary values: {@code final_<metric>}, best_jsd, best_epoch, jsd_auc, epochs_scored. */
  public Map<String, Double> values() {
    Map<String, Double> out = new HashMap<>();
    finalValues.forEach((name, value) -> out.put(FINAL_PREFIX + name, value));
    TreeMap<Integer, Double> curve = new TreeMap<>();
    for (int i = 0; i < points; i++) {
      curve.put(epochs[i], jsds[i]);
    }
    out.put(EPOCHS_SCORED, (double) curve.size());
    if (!curve.isEmpty()) {
      Map.Entry<Integer, Double> best = null;
      double area = 0;
      Map.Entry<Integer, Double> previous = null;
      for (Map.Entry<Integer, Double> point : curve.entrySet()) {
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

package io.qmon.sink.mlflow;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.qmon.schemas.ShotCounts;
import io.qmon.schemas.TargetDistribution;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.mlflow.api.proto.Service.Metric;

/**
 * The files a finished run gets in MLflow: {@value #DISTRIBUTIONS} (final generated vs target
 * distribution), {@value #HISTOGRAM} and {@value #CURVES}.
 */
final class RunArtifacts {
  static final String DISTRIBUTIONS = "distributions.json";
  static final String HISTOGRAM = "target_vs_generated.png";
  static final String CURVES = "metric_curves.png";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private RunArtifacts() {}

  /** Outcome to probability of a target; empty when unknown. */
  static Map<Long, Double> target(TargetDistribution target) {
    Map<Long, Double> p = new TreeMap<>();
    if (target != null) {
      for (int i = 0; i < target.getOutcomes().size(); i++) {
        p.put(target.getOutcomes().get(i), target.getProbabilities().get(i));
      }
    }
    return p;
  }

  /** Outcome to relative frequency of the last epoch's shots; empty when unknown. */
  static Map<Long, Double> generated(ShotCounts shots) {
    Map<Long, Double> q = new TreeMap<>();
    if (shots != null && shots.getShots() > 0) {
      for (int i = 0; i < shots.getOutcomes().size(); i++) {
        q.put(shots.getOutcomes().get(i), shots.getCounts().get(i) / (double) shots.getShots());
      }
    }
    return q;
  }

  static byte[] distributionsJson(String runId, TargetDistribution target, ShotCounts lastShots)
      throws IOException {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("run_id", runId);
    doc.put("target_id", target == null ? null : target.getTargetId());
    doc.put("qubits", target == null ? null : target.getQubits());
    doc.put("epoch", lastShots == null ? null : lastShots.getEpoch());
    doc.put("shots", lastShots == null ? null : lastShots.getShots());
    doc.put("target", stringKeys(target(target)));
    doc.put("generated", stringKeys(generated(lastShots)));
    return JSON.writeValueAsBytes(doc);
  }

  static byte[] histogramPng(String runId, TargetDistribution target, ShotCounts lastShots)
      throws IOException {
    return Charts.bars(
        "Run " + runId + ": target vs generated (last epoch)",
        target(target),
        generated(lastShots));
  }

  static byte[] curvesPng(String runId, Map<String, List<Metric>> series) throws IOException {
    return Charts.lines("Run " + runId + ": metrics over epochs", series);
  }

  private static Map<String, Double> stringKeys(Map<Long, Double> values) {
    Map<String, Double> out = new LinkedHashMap<>();
    values.forEach((k, v) -> out.put(Long.toString(k), v));
    return out;
  }
}

package io.qmon.sink.mlflow;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.qmon.schemas.Histogram;
import io.qmon.schemas.MetricRecord;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.mlflow.api.proto.Service.Metric;

/**
 * The files a closed run gets in MLflow, drawn from the job's records: {@value #DISTRIBUTIONS} and
 * {@value #HISTOGRAM} from the RUN_CLOSED record's histogram (the last epoch's generated counts
 * beside the target probabilities), {@value #CURVES} from the run's metric history in MLflow.
 */
final class RunArtifacts {
  static final String DISTRIBUTIONS = "distributions.json";
  static final String HISTOGRAM = "target_vs_generated.png";
  static final String CURVES = "metric_curves.png";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private RunArtifacts() {}

  /** Outcome to target probability. */
  static Map<Long, Double> target(Histogram histogram) {
    Map<Long, Double> p = new TreeMap<>();
    for (int i = 0; i < histogram.getOutcomes().size(); i++) {
      p.put(histogram.getOutcomes().get(i), histogram.getTarget().get(i));
    }
    return p;
  }

  /** Outcome to relative frequency of the generated counts. */
  static Map<Long, Double> generated(Histogram histogram) {
    Map<Long, Double> q = new TreeMap<>();
    if (histogram.getShots() > 0) {
      for (int i = 0; i < histogram.getOutcomes().size(); i++) {
        q.put(
            histogram.getOutcomes().get(i),
            histogram.getCounts().get(i) / (double) histogram.getShots());
      }
    }
    return q;
  }

  static byte[] distributionsJson(MetricRecord closed) throws IOException {
    Histogram histogram = closed.getHistogram();
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("run_id", closed.getRunId());
    doc.put("target_id", closed.getTargetId());
    doc.put("qubits", closed.getQubits());
    doc.put("epoch", histogram.getEpoch());
    doc.put("shots", histogram.getShots());
    doc.put("low", histogram.getLow());
    doc.put("high", histogram.getHigh());
    doc.put("target", stringKeys(target(histogram)));
    doc.put("generated", stringKeys(generated(histogram)));
    return JSON.writeValueAsBytes(doc);
  }

  static byte[] histogramPng(MetricRecord closed) throws IOException {
    Histogram histogram = closed.getHistogram();
    return Charts.bars(
        "Run " + closed.getRunId() + ": target vs generated (epoch " + histogram.getEpoch() + ")",
        target(histogram),
        generated(histogram));
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

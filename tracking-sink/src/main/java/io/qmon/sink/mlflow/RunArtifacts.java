package io.qmon.sink.mlflow;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.qmon.schemas.Histogram;
import io.qmon.schemas.MetricRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.mlflow.api.proto.Service.Metric;

/**
 * The files a run gets in MLflow, drawn from the job's records. While the run is live, every
 * histogram the job attaches to an EPOCH record (each {@code job.histogram-every-epochs} epochs)
 * becomes a snapshot under {@value #SNAPSHOT_DIR}/: {@code epoch-00010.png} (target vs generated)
 * and {@code epoch-00010.csv} (the raw histogram), so a run that dies keeps the distribution's
 * evolution. At close: {@value #DISTRIBUTIONS} and {@value #HISTOGRAM} from the RUN_CLOSED record's
 * histogram (plus its snapshot), and {@value #CURVES} from the run's divergence history in MLflow.
 * Paths are fixed by the epoch, so a replay overwrites a file with the same content.
 */
final class RunArtifacts {
  static final String DISTRIBUTIONS = "distributions.json";
  static final String HISTOGRAM = "target_vs_generated.png";
  static final String CURVES = "metric_curves.png";
  static final String SNAPSHOT_DIR = "distribution";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private RunArtifacts() {}

  /** {@code distribution/epoch-00010.png} and the like: sortable by name up to 99999 epochs. */
  static String snapshotPath(int epoch, String extension) {
    return String.format(Locale.ROOT, "%s/epoch-%05d.%s", SNAPSHOT_DIR, epoch, extension);
  }

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

  /** The record's histogram as a chart: target vs generated per outcome. */
  static byte[] histogramPng(MetricRecord record) throws IOException {
    Histogram histogram = record.getHistogram();
    DistributionView view = DistributionView.of(histogram, record.getQubits(), Charts.MAX_BARS);
    boolean mapped = DistributionView.OutcomeLabels.of(histogram, record.getQubits()).mapped();
    String title =
        "Run "
            + record.getRunId()
            + ": target vs generated, epoch "
            + histogram.getEpoch()
            + " ("
            + histogram.getShots()
            + " shots)";
    return Charts.png(Charts.distribution(title, view, mapped));
  }

  /** The record's histogram as CSV: outcome, label, generated count and frequency, target. */
  static byte[] histogramCsv(MetricRecord record) {
    Histogram histogram = record.getHistogram();
    DistributionView.OutcomeLabels labels =
        DistributionView.OutcomeLabels.of(histogram, record.getQubits());
    StringBuilder out = new StringBuilder("outcome,label,count,generated,target\n");
    double shots = histogram.getShots();
    for (int i = 0; i < histogram.getOutcomes().size(); i++) {
      long outcome = histogram.getOutcomes().get(i);
      long count = histogram.getCounts().get(i);
      out.append(outcome).append(',').append(labels.label(outcome)).append(',').append(count);
      out.append(',').append(shots > 0 ? count / shots : 0.0);
      out.append(',').append(histogram.getTarget().get(i)).append('\n');
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Divergence curves on a log axis with their shot-noise floors as bands. */
  static byte[] curvesPng(
      String runId, Map<String, List<Metric>> values, Map<String, List<Metric>> floors)
      throws IOException {
    return Charts.png(
        Charts.divergences(
            "Run " + runId + ": divergences over epochs, with shot-noise floors", values, floors));
  }

  private static Map<String, Double> stringKeys(Map<Long, Double> values) {
    Map<String, Double> out = new LinkedHashMap<>();
    values.forEach((k, v) -> out.put(Long.toString(k), v));
    return out;
  }
}

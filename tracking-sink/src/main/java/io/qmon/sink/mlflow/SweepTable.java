package io.qmon.sink.mlflow;

import io.qmon.schemas.SweepSummary;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One experiment's sweep configurations as the job last ranked them on qgm.sweeps, in the shape of
 * the AutoQML paper's Table I: a row per configuration, μ and σ over its repeats of the final
 * Kolmogorov–Smirnov statistic and relative entropy (KL) first, then of the other final metrics
 * (JSD, W1, ...). The CSV carries every statistic of every summary metric (mean, std, 95% CI); the
 * Markdown the μ/σ of the final metrics. Rows are ordered by rank (unranked last).
 */
final class SweepTable {
  static final String MEAN = "_mean";
  static final String STD = "_std";
  static final String CI_LOW = "_ci_low";
  static final String CI_HIGH = "_ci_high";
  static final String FINAL_PREFIX = "final_";

  /** The columns Table I leads with: final KS, then final relative entropy. */
  static final List<String> LEADING = List.of("final_ks", "final_kl");

  private static final List<String> STATISTICS = List.of(MEAN, STD, CI_LOW, CI_HIGH);

  /** One configuration. */
  record Row(String configId, int rank, int runs, Map<String, Double> statistics) {}

  private final String experiment;
  private final List<Row> rows;
  private final List<String> metrics;

  private SweepTable(String experiment, List<Row> rows, List<String> metrics) {
    this.experiment = experiment;
    this.rows = rows;
    this.metrics = metrics;
  }

  /** The table of one experiment's latest summaries (one per configuration). */
  static SweepTable of(String experiment, Collection<SweepSummary> summaries) {
    List<Row> rows = new ArrayList<>();
    Set<String> found = new TreeSet<>();
    for (SweepSummary s : summaries) {
      rows.add(new Row(s.getConfigId(), s.getRank(), s.getRuns(), Map.copyOf(s.getStatistics())));
      for (String key : s.getStatistics().keySet()) {
        if (key.endsWith(MEAN)) {
          found.add(key.substring(0, key.length() - MEAN.length()));
        }
      }
    }
    rows.sort(
        Comparator.comparingInt((Row r) -> r.rank() > 0 ? r.rank() : Integer.MAX_VALUE)
            .thenComparing(Row::configId));
    Set<String> ordered = new LinkedHashSet<>();
    for (String leading : LEADING) {
      if (found.contains(leading)) {
        ordered.add(leading);
      }
    }
    ordered.addAll(found);
    return new SweepTable(experiment, List.copyOf(rows), List.copyOf(ordered));
  }

  String experiment() {
    return experiment;
  }

  List<Row> rows() {
    return rows;
  }

  /** Every summary metric with a mean, Table I's leading ones first, then alphabetically. */
  List<String> metrics() {
    return metrics;
  }

  /** The final-value metrics (KS and KL first): the Markdown table's and the chart's columns. */
  List<String> finalMetrics() {
    return metrics.stream().filter(m -> m.startsWith(FINAL_PREFIX)).toList();
  }

  /** Every statistic: config_id, rank, runs, then mean, std, ci_low, ci_high per metric. */
  String csv() {
    StringBuilder out = new StringBuilder("config_id,rank,runs");
    for (String metric : metrics) {
      for (String statistic : STATISTICS) {
        out.append(',').append(metric).append(statistic);
      }
    }
    out.append('\n');
    for (Row row : rows) {
      out.append(csvField(row.configId())).append(',').append(row.rank());
      out.append(',').append(row.runs());
      for (String metric : metrics) {
        for (String statistic : STATISTICS) {
          Double value = row.statistics().get(metric + statistic);
          out.append(',').append(value == null ? "" : Double.toString(value));
        }
      }
      out.append('\n');
    }
    return out.toString();
  }

  /** μ and σ of the final metrics per configuration, as Table I prints them. */
  String markdown() {
    List<String> columns = finalMetrics();
    StringBuilder out = new StringBuilder();
    out.append("Sweep of experiment `").append(experiment).append("`: ");
    out.append("mean (μ) and standard deviation (σ) over each configuration's repeats.\n\n");
    out.append("| configuration | rank | runs |");
    for (String metric : columns) {
      String name = displayName(metric);
      out.append(" μ ").append(name).append(" | σ ").append(name).append(" |");
    }
    out.append("\n| --- | ---: | ---: |");
    out.append(" ---: | ---: |".repeat(columns.size()));
    out.append('\n');
    for (Row row : rows) {
      out.append("| ").append(row.configId().replace("|", "\\|")).append(" | ");
      out.append(row.rank() > 0 ? Integer.toString(row.rank()) : "–").append(" | ");
      out.append(row.runs()).append(" |");
      for (String metric : columns) {
        out.append(' ').append(number(row.statistics().get(metric + MEAN))).append(" |");
        out.append(' ').append(number(row.statistics().get(metric + STD))).append(" |");
      }
      out.append('\n');
    }
    return out.toString();
  }

  /** KS, KL (relative entropy), JSD ... for final_ks, final_kl, final_jsd. */
  static String displayName(String metric) {
    String base =
        metric.startsWith(FINAL_PREFIX) ? metric.substring(FINAL_PREFIX.length()) : metric;
    return base.equals("kl") ? "KL (relative entropy)" : base.toUpperCase(Locale.ROOT);
  }

  private static String number(Double value) {
    if (value == null) {
      return "–";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "∞" : "−∞";
    }
    return String.format(Locale.ROOT, "%.4g", value);
  }

  private static String csvField(String value) {
    if (value.contains(",") || value.contains("\"") || value.contains("\n")) {
      return '"' + value.replace("\"", "\"\"") + '"';
    }
    return value;
  }
}

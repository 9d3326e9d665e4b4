package io.qmon.bench.eval;

import io.qmon.metrics.detect.Severity;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The figures of one detector configuration (or baseline) over the labelled streams: false alarms
 * per 1,000 healthy epochs (epochs of healthy runs and the epochs of faulty runs before their
 * fault), and of those only the ones where the model's exact output was not materially worse
 * ({@link LabelledStream#exactOutputWorseAt}), share of healthy runs with any alert, recall per
 * fault group within {@code horizon} epochs of the fault, median and p90 detection delay, alert
 * episodes per run.
 */
final class Scoreboard {
  /** One row: a configuration's name, the least severity it counts, and its episodes by run. */
  record Row(String name, Predicate<Severity> counts, Map<String, List<Episode>> episodesByRun) {}

  private final List<LabelledStream> streams;
  private final int horizon;

  Scoreboard(List<LabelledStream> streams, int horizon) {
    this.streams = streams;
    this.horizon = horizon;
  }

  static Predicate<Severity> warningOrAbove() {
    return s -> s != Severity.INFO;
  }

  static Predicate<Severity> infoOnly() {
    return s -> s == Severity.INFO;
  }

  /**
   * The fault groups in order of first appearance, healthy excluded, with {@link
   * LabelledStream#DRIFT_ABOVE_FLOOR} after the drifts it gathers.
   */
  List<String> faultGroups() {
    Set<String> groups = new LinkedHashSet<>();
    for (LabelledStream s : streams) {
      if (!s.spec().healthy()) {
        groups.add(s.spec().group());
      }
    }
    List<String> ordered = new ArrayList<>(groups);
    boolean sized =
        streams.stream().anyMatch(s -> s.groups().contains(LabelledStream.DRIFT_ABOVE_FLOOR));
    if (sized) {
      int lastDrift = 0;
      for (int i = 0; i < ordered.size(); i++) {
        if (ordered.get(i).startsWith(Fault.NOISE_DRIFT.label())) {
          lastDrift = i;
        }
      }
      ordered.add(lastDrift + 1, LabelledStream.DRIFT_ABOVE_FLOOR);
    }
    return ordered;
  }

  void print(List<Row> rows, PrintStream out) {
    long healthyEpochs = 0;
    int healthyRuns = 0;
    for (LabelledStream s : streams) {
      healthyEpochs += healthyEpochs(s);
      healthyRuns += s.spec().healthy() ? 1 : 0;
    }
    out.printf(
        Locale.ROOT,
        "%d streams, %d healthy runs, %d healthy epochs; detection counts within %d epochs of the"
            + " fault%n%n",
        streams.size(),
        healthyRuns,
        healthyEpochs,
        horizon);
    int width = rows.stream().mapToInt(r -> r.name().length()).max().orElse(10) + 2;
    out.printf(
        Locale.ROOT,
        "%-" + width + "s %10s %16s %14s %14s %16s%n",
        "detector",
        "FA/1k ep",
        "FA/1k ep, model",
        "healthy runs",
        "episodes per",
        "episodes per");
    out.printf(
        Locale.ROOT,
        "%-" + width + "s %10s %16s %14s %14s %16s%n",
        "",
        "",
        "not worse",
        "alerted",
        "healthy run",
        "faulty run");
    for (Row row : rows) {
      long alarms = 0;
      long alarmsOnSteadyModel = 0;
      int alerted = 0;
      long healthyEpisodes = 0;
      long faultyEpisodes = 0;
      int faultyRuns = 0;
      for (LabelledStream s : streams) {
        List<Episode> eps = counted(row, s);
        long before = falseAlarms(s, eps, false);
        alarms += before;
        alarmsOnSteadyModel += falseAlarms(s, eps, true);
        if (s.spec().healthy()) {
          alerted += eps.isEmpty() ? 0 : 1;
          healthyEpisodes += eps.size();
        } else {
          faultyRuns++;
          faultyEpisodes += eps.size() - before;
        }
      }
      out.printf(
          Locale.ROOT,
          "%-" + width + "s %10.2f %16.2f %13.0f%% %14.2f %16.2f%n",
          row.name(),
          1000.0 * alarms / Math.max(1, healthyEpochs),
          1000.0 * alarmsOnSteadyModel / Math.max(1, healthyEpochs),
          100.0 * alerted / Math.max(1, healthyRuns),
          (double) healthyEpisodes / Math.max(1, healthyRuns),
          (double) faultyEpisodes / Math.max(1, faultyRuns));
    }
    out.println();
    List<String> groups = faultGroups();
    out.println("recall % (median / p90 delay in epochs) per fault");
    out.println(driftLegend());
    StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-" + width + "s", ""));
    for (String g : groups) {
      header.append(String.format(Locale.ROOT, " %18s", g));
    }
    out.println(header);
    for (Row row : rows) {
      StringBuilder line =
          new StringBuilder(String.format(Locale.ROOT, "%-" + width + "s", row.name()));
      for (String g : groups) {
        List<Long> delays = new ArrayList<>();
        int runs = 0;
        for (LabelledStream s : streams) {
          if (!s.groups().contains(g)) {
            continue;
          }
          runs++;
          long start = faultStart(s);
          counted(row, s).stream()
              .mapToLong(Episode::firedEpoch)
              .filter(e -> e >= start && e <= start + horizon)
              .min()
              .ifPresent(e -> delays.add(e - start));
        }
        line.append(String.format(Locale.ROOT, " %18s", cell(delays, runs)));
      }
      out.println(line);
    }
  }

  /** What the {@link LabelledStream#DRIFT_ABOVE_FLOOR} column holds, with its counts. */
  private String driftLegend() {
    StringBuilder counts = new StringBuilder();
    for (double strength : StreamCases.DRIFT_STRENGTHS) {
      List<LabelledStream> drifts =
          streams.stream()
              .filter(s -> s.spec().fault() == Fault.NOISE_DRIFT && s.spec().strength() == strength)
              .toList();
      long all = drifts.size();
      long visible = drifts.stream().filter(LabelledStream::aboveShotNoise).count();
      counts.append(String.format(Locale.ROOT, ", λ=%s: %d of %d", strength, visible, all));
    }
    return LabelledStream.DRIFT_ABOVE_FLOOR
        + ": the noise drifts whose full-strength change of the model's output exceeds one epoch's"
        + " JSD shot-noise floor of it"
        + counts;
  }

  private static String cell(List<Long> delays, int runs) {
    long[] d = delays.stream().mapToLong(Long::longValue).sorted().toArray();
    String recall = String.format(Locale.ROOT, "%3.0f%%", 100.0 * d.length / Math.max(1, runs));
    if (d.length == 0) {
      return recall + "   -/-  ";
    }
    return String.format(Locale.ROOT, "%s %3d/%-3d", recall, quantile(d, 0.5), quantile(d, 0.9));
  }

  /** The nearest-rank quantile. */
  static long quantile(long[] sorted, double q) {
    return sorted[nearestRank(sorted.length, q)];
  }

  /** The nearest-rank quantile of sorted values. */
  static double quantile(double[] sorted, double q) {
    return sorted[nearestRank(sorted.length, q)];
  }

  private static int nearestRank(int n, double q) {
    int rank = (int) Math.ceil(q * n);
    return Math.max(0, Math.min(n - 1, rank - 1));
  }

  private static List<Episode> counted(Row row, LabelledStream s) {
    List<Episode> all = row.episodesByRun().getOrDefault(s.spec().runId(), List.of());
    return all.stream().filter(e -> row.counts().test(e.severity())).toList();
  }

  /**
   * The episodes that fired before the stream's fault (all of a healthy run's); with {@code
   * modelNotWorse}, only those where the model's exact output was not materially worse ({@link
   * LabelledStream#exactOutputWorseAt}).
   */
  static long falseAlarms(LabelledStream s, List<Episode> eps, boolean modelNotWorse) {
    return eps.stream()
        .filter(e -> e.firedEpoch() < faultStart(s))
        .filter(e -> !modelNotWorse || !s.exactOutputWorseAt(e.firedEpoch()))
        .count();
  }

  /** First faulty epoch; past the end for a healthy run. */
  static long faultStart(LabelledStream s) {
    return s.spec().healthy() ? Long.MAX_VALUE : s.spec().faultEpoch();
  }

  static long healthyEpochs(LabelledStream s) {
    return s.spec().healthy() ? s.records().size() : s.spec().faultEpoch() - 1;
  }

  /** Groups one configuration's episodes by run, keeping every run present. */
  static Map<String, List<Episode>> byRun(List<LabelledStream> streams, List<List<Episode>> eps) {
    Map<String, List<Episode>> out = new LinkedHashMap<>();
    for (int i = 0; i < streams.size(); i++) {
      out.put(streams.get(i).spec().runId(), eps.get(i));
    }
    return out;
  }

  static String describe(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return String.format(
        Locale.ROOT,
        "median %.4f, p90 %.4f",
        sorted[sorted.length / 2],
        sorted[(int) (0.9 * (sorted.length - 1))]);
  }
}

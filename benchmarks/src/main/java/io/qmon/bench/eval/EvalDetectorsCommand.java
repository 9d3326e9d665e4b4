package io.qmon.bench.eval;

import io.qmon.jobs.config.JobConfig;
import io.qmon.metrics.MetricCalculator;
import io.qmon.metrics.advice.AdviceSettings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code qmon eval-detectors}: trains labelled streams (healthy and with faults at known epochs),
 * scores them with the job's scorer, and prints one table comparing qmon's detector selections with
 * the baselines a user would otherwise use, on the same metric series.
 */
public final class EvalDetectorsCommand {
  private EvalDetectorsCommand() {}

  /** Runs the benchmark outside the launcher, e.g. from an IDE. */
  public static void main(String[] args) throws Exception {
    System.exit(run(args, System.out));
  }

  /**
   * The CLI entry: parses {@code args} and prints the tables to {@code out}; returns the status.
   */
  public static int run(String[] args, PrintStream out) throws Exception {
    return run(EvalOptions.parse(args), out);
  }

  static int run(EvalOptions o, PrintStream out) throws Exception {
    long start = System.nanoTime();
    List<StreamCase> cases = StreamCases.draw(o);
    StreamSimulator simulator = new StreamSimulator(MetricCalculator.withDefaults());
    List<LabelledStream> streams = new ArrayList<>(cases.size());
    for (StreamCase c : cases) {
      streams.add(simulator.simulate(c));
    }
    out.printf(
        Locale.ROOT,
        "qmon eval-detectors: %d streams trained and scored in %.1f s (seed %d)%n",
        streams.size(),
        (System.nanoTime() - start) / 1e9,
        o.seed());
    printStreams(streams, out);

    List<Scoreboard.Row> rows = new ArrayList<>();
    for (String selection : o.selections()) {
      QmonDetectorRun run = new QmonDetectorRun(selection);
      List<List<Episode>> eps = new ArrayList<>();
      for (LabelledStream s : streams) {
        eps.add(run.episodes(s));
      }
      Map<String, List<Episode>> byRun = Scoreboard.byRun(streams, eps);
      rows.add(
          new Scoreboard.Row(
              "qmon " + selection + " [WARNING+]", Scoreboard.warningOrAbove(), byRun));
      rows.add(new Scoreboard.Row("qmon " + selection + " [INFO]", Scoreboard.infoOnly(), byRun));
      for (String detector : detectorNames(eps)) {
        Map<String, List<Episode>> one = new LinkedHashMap<>();
        byRun.forEach(
            (id, list) ->
                one.put(id, list.stream().filter(e -> e.source().equals(detector)).toList()));
        rows.add(new Scoreboard.Row("  " + detector, s -> true, one));
      }
    }
    List<List<Episode>> fixed = new ArrayList<>();
    List<List<Episode>> band = new ArrayList<>();
    List<List<Episode>> zscore = new ArrayList<>();
    int reference = (int) Math.floor(0.35 * o.epochs() / 5) * 5;
    for (LabelledStream s : streams) {
      double[] jsd = JavaBaselines.jsd(s);
      fixed.add(JavaBaselines.staticThreshold(jsd));
      band.add(JavaBaselines.chunkBand(jsd, reference));
      zscore.add(JavaBaselines.rollingZ(jsd));
    }
    rows.add(new Scoreboard.Row(JavaBaselines.STATIC, s -> true, Scoreboard.byRun(streams, fixed)));
    rows.add(new Scoreboard.Row(JavaBaselines.NANNYML, s -> true, Scoreboard.byRun(streams, band)));
    rows.add(
        new Scoreboard.Row(JavaBaselines.ZSCORE, s -> true, Scoreboard.byRun(streams, zscore)));
    if (o.river()) {
      try {
        Map<String, Map<String, List<Episode>>> river =
            RiverBaselines.run(
                RiverBaselines.repositoryRoot(), Path.of(".qmon", "eval-detectors"), streams);
        river.forEach((name, byRun) -> rows.add(new Scoreboard.Row(name, s -> true, byRun)));
      } catch (RuntimeException | java.io.IOException e) {
        out.println("River baselines failed (rerun with --no-river to skip): " + e.getMessage());
      }
    }
    out.println();
    new Scoreboard(streams, o.horizon()).print(rows, out);
    out.println();
    printAdvice(streams, out);
    out.printf(Locale.ROOT, "%ntotal %.1f s%n", (System.nanoTime() - start) / 1e9);
    return 0;
  }

  /** Scores the advice stage, with the job's default advice configuration, on the same streams. */
  private static void printAdvice(List<LabelledStream> streams, PrintStream out) {
    long start = System.nanoTime();
    AdviceRun advice = new AdviceRun(JobConfig.of(Map.of()).adviceSettings());
    AdviceSettings standard = advice.settings().standard();
    AdviceSettings qgan = advice.settings().qgan();
    List<AdviceScoreboard.AdvisedRun> runs = new ArrayList<>(streams.size());
    Map<String, List<AdviceScoreboard.AdvisedRun>> byModel = new LinkedHashMap<>();
    for (LabelledStream s : streams) {
      List<AdviceScoreboard.Given> given =
          advice.advice(s).stream()
              .map(
                  a ->
                      new AdviceScoreboard.Given(
                          a.kind(), a.epoch(), s.exactOutputWorseAt(a.epoch(), (int) a.epoch())))
              .toList();
      AdviceScoreboard.AdvisedRun run =
          new AdviceScoreboard.AdvisedRun(
              s.spec().group(),
              s.spec().fault(),
              s.spec().faultEpoch(),
              JavaBaselines.jsd(s),
              given);
      runs.add(run);
      byModel.computeIfAbsent(s.spec().model().key(), m -> new ArrayList<>()).add(run);
    }
    out.printf(
        Locale.ROOT,
        "advice (the job's TrainingProgress: k %d, W %d (qGANs %d), d %d, c %d, coverage fraction"
            + " %s (qGANs %s), barren progress %s, diverge loss %s; each run declares its epochs and"
            + " model type), replayed in %.2f s; share of runs given each kind%n",
        standard.smoothingEpochs(),
        standard.plateauEpochs(),
        qgan.plateauEpochs(),
        standard.divergeEpochs(),
        standard.collapseEpochs(),
        standard.collapseFraction(),
        qgan.collapseFraction(),
        standard.barrenProgress(),
        standard.divergeLoss(),
        (System.nanoTime() - start) / 1e9);
    new AdviceScoreboard(runs, standard.smoothingEpochs()).print(out);
    out.println();
    AdviceScoreboard.printByModel(byModel, out);
  }

  private static List<String> detectorNames(List<List<Episode>> eps) {
    java.util.Set<String> names = new java.util.TreeSet<>();
    eps.forEach(list -> list.forEach(e -> names.add(e.source())));
    return new ArrayList<>(names);
  }

  /** What the streams look like: median JSD before the fault and over its last 10 epochs. */
  private static void printStreams(List<LabelledStream> streams, PrintStream out) {
    Map<String, List<double[]>> byGroup = new LinkedHashMap<>();
    for (LabelledStream s : streams) {
      double[] jsd = JavaBaselines.jsd(s);
      int fault = s.spec().healthy() ? jsd.length - 10 : s.spec().faultEpoch() - 1;
      double before = fault >= 5 ? median(jsd, Math.max(0, fault - 5), fault) : Double.NaN;
      double after = median(jsd, jsd.length - 10, jsd.length);
      byGroup
          .computeIfAbsent(s.spec().group(), g -> new ArrayList<>())
          .add(new double[] {before, after});
    }
    out.printf(
        Locale.ROOT,
        "%-24s %5s %22s %22s%n",
        "stream group",
        "runs",
        "median JSD pre-fault",
        "median JSD last 10 ep");
    byGroup.forEach(
        (g, list) ->
            out.printf(
                Locale.ROOT,
                "%-24s %5d %22.4f %22.4f%n",
                g,
                list.size(),
                medianOf(list, 0),
                medianOf(list, 1)));
  }

  private static double median(double[] x, int from, int to) {
    double[] part = java.util.Arrays.copyOfRange(x, from, to);
    java.util.Arrays.sort(part);
    return part[part.length / 2];
  }

  private static double medianOf(List<double[]> rows, int column) {
    double[] v =
        rows.stream().mapToDouble(r -> r[column]).filter(d -> !Double.isNaN(d)).sorted().toArray();
    return v.length == 0 ? Double.NaN : v[v.length / 2];
  }
}

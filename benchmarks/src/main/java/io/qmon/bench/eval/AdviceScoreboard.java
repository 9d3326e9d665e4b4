package io.qmon.bench.eval;

import io.qmon.metrics.advice.AdviceKind;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How often the advice stage is right, per stream group: the share of runs given each advice kind;
 * for the faults an advice kind is meant for, its recall and delay after the fault epoch; advice of
 * a fault given while a run was healthy; and, for healthy runs given each stop advice, the epochs
 * that stopping there would save and what it would cost in JSD.
 *
 * <p>A run's JSD level at epoch e is the median of its JSD over epochs e − k + 1 .. e (k the
 * advice's smoothing, fewer at the start): the level the advice itself judges, steadier than one
 * epoch's sampling draw. Quantiles are {@link Scoreboard}'s nearest-rank ones.
 */
final class AdviceScoreboard {
  /**
   * An advice kind given to a run, the epoch it was decided at, and whether the model's exact
   * output was then materially worse than at its best so far ({@link
   * LabelledStream#exactOutputWorseAt(long, int)}).
   */
  record Given(AdviceKind kind, long epoch, boolean modelWorse) {}

  /**
   * One run's advice.
   *
   * @param group the stream group the tables sort it into
   * @param fault its fault ({@link Fault#NONE} when healthy)
   * @param faultEpoch its first faulty epoch (ignored when healthy)
   * @param jsd its JSD per epoch, epoch 1 first; its length is the run's length
   * @param advice the advice it was given, in order
   */
  record AdvisedRun(String group, Fault fault, long faultEpoch, double[] jsd, List<Given> advice) {
    AdvisedRun {
      jsd = jsd.clone();
      advice = List.copyOf(advice);
    }

    boolean healthy() {
      return fault == Fault.NONE;
    }

    /** The epoch at which {@code kind} was given; -1 when it was not. */
    long epochOf(AdviceKind kind) {
      return advice.stream()
          .filter(g -> g.kind() == kind)
          .mapToLong(Given::epoch)
          .findFirst()
          .orElse(-1);
    }
  }

  /** The advice kinds that name a fault: on a healthy run (or before the fault) each is wrong. */
  static final List<AdviceKind> FAULT_KINDS =
      List.of(AdviceKind.BARREN_PLATEAU, AdviceKind.DIVERGING, AdviceKind.COLLAPSED);

  /** The advice kinds after which a healthy run may stop with nothing wrong. */
  static final List<AdviceKind> STOP_WHEN_DONE_KINDS =
      List.of(AdviceKind.CONVERGED_AT_NOISE_FLOOR, AdviceKind.PLATEAU);

  private final List<AdvisedRun> runs;
  private final int smoothingEpochs;

  AdviceScoreboard(List<AdvisedRun> runs, int smoothingEpochs) {
    this.runs = List.copyOf(runs);
    this.smoothingEpochs = smoothingEpochs;
  }

  /** The advice kind meant for a fault; null for faults no advice names. */
  static AdviceKind intendedFor(Fault fault) {
    return switch (fault) {
      case MODE_COLLAPSE -> AdviceKind.COLLAPSED;
      case DIVERGENCE -> AdviceKind.DIVERGING;
      case BARREN_PLATEAU -> AdviceKind.BARREN_PLATEAU;
      default -> null;
    };
  }

  /** Share of {@code group} given {@code kind} at any epoch. */
  static double share(List<AdvisedRun> group, AdviceKind kind) {
    return (double) group.stream().filter(r -> r.epochOf(kind) >= 0).count()
        / Math.max(1, group.size());
  }

  /**
   * Share of {@code group} given a fault's advice ({@link #FAULT_KINDS}) while healthy: at any
   * epoch of a healthy run, before the fault epoch of a faulty one. With {@code modelNotWorse},
   * {@code DIVERGING} and {@code COLLAPSED} count only when the model's exact output was not
   * materially worse than at its best so far (they claim it was); {@code BARREN_PLATEAU} claims no
   * loss and always counts.
   */
  static double falseFaultShare(List<AdvisedRun> group, boolean modelNotWorse) {
    long wrong =
        group.stream()
            .filter(
                r ->
                    r.advice().stream()
                        .anyMatch(
                            g ->
                                FAULT_KINDS.contains(g.kind())
                                    && (r.healthy() || g.epoch() < r.faultEpoch())
                                    && (!modelNotWorse
                                        || g.kind() == AdviceKind.BARREN_PLATEAU
                                        || !g.modelWorse())))
            .count();
    return (double) wrong / Math.max(1, group.size());
  }

  /**
   * The delays (advice epoch − fault epoch) of the runs given the advice meant for their fault at
   * or after the fault epoch, sorted; their count over the group's runs is the recall.
   */
  static long[] delays(List<AdvisedRun> group) {
    List<Long> out = new ArrayList<>();
    for (AdvisedRun r : group) {
      AdviceKind intended = intendedFor(r.fault());
      long at = intended == null ? -1 : r.epochOf(intended);
      if (at >= r.faultEpoch()) {
        out.add(at - r.faultEpoch());
      }
    }
    return out.stream().mapToLong(Long::longValue).sorted().toArray();
  }

  /**
   * The delays (advice epoch − fault epoch) of the first fault advice of any kind ({@link
   * #FAULT_KINDS}, all with {@code stop} = true) at or after the fault epoch, over the runs whose
   * fault some advice names, sorted: what a {@code should_stop()} loop acts on, whichever kind the
   * advice named (a collapse told {@code DIVERGING} is still stopped).
   */
  static long[] stopDelays(List<AdvisedRun> group) {
    List<Long> out = new ArrayList<>();
    for (AdvisedRun r : group) {
      if (intendedFor(r.fault()) == null) {
        continue;
      }
      r.advice().stream()
          .filter(g -> FAULT_KINDS.contains(g.kind()) && g.epoch() >= r.faultEpoch())
          .mapToLong(Given::epoch)
          .min()
          .ifPresent(at -> out.add(at - r.faultEpoch()));
    }
    return out.stream().mapToLong(Long::longValue).sorted().toArray();
  }

  /** Epochs left after {@code kind} in the runs given it (run length − advice epoch), sorted. */
  static long[] epochsSaved(List<AdvisedRun> group, AdviceKind kind) {
    return group.stream()
        .filter(r -> r.epochOf(kind) >= 0)
        .mapToLong(r -> r.jsd().length - r.epochOf(kind))
        .sorted()
        .toArray();
  }

  /**
   * The cost of stopping at {@code kind}, per run given it: JSD level at the advice epoch − JSD
   * level at the run's last epoch, sorted. Positive: the run got that much better after the advice
   * (stopping would have lost it); negative: it got worse.
   */
  static double[] regrets(List<AdvisedRun> group, AdviceKind kind, int smoothingEpochs) {
    return group.stream()
        .filter(r -> r.epochOf(kind) >= 0)
        .mapToDouble(
            r ->
                level(r.jsd(), r.epochOf(kind), smoothingEpochs)
                    - level(r.jsd(), r.jsd().length, smoothingEpochs))
        .sorted()
        .toArray();
  }

  /**
   * The median JSD of epochs {@code epoch − k + 1 .. epoch} (from epoch 1 when younger); the mean
   * of the middle two for an even count, as the advice computes its level.
   */
  static double level(double[] jsd, long epoch, int k) {
    int to = (int) epoch;
    double[] window = Arrays.copyOfRange(jsd, Math.max(0, to - k), to);
    Arrays.sort(window);
    int n = window.length;
    return n % 2 == 1 ? window[n / 2] : (window[n / 2 - 1] + window[n / 2]) / 2;
  }

  private Map<String, List<AdvisedRun>> byGroup() {
    Map<String, List<AdvisedRun>> out = new LinkedHashMap<>();
    for (AdvisedRun r : runs) {
      out.computeIfAbsent(r.group(), g -> new ArrayList<>()).add(r);
    }
    return out;
  }

  void print(PrintStream out) {
    out.printf(
        Locale.ROOT,
        "%-20s %5s %10s %8s %7s %10s %10s %12s %10s  %-15s %7s %8s %8s %8s%n",
        "advice: stream group",
        "runs",
        "converged",
        "plateau",
        "barren",
        "diverging",
        "collapsed",
        "false fault",
        "not worse",
        "intended",
        "recall",
        "delay",
        "stopped",
        "delay");
    for (Map.Entry<String, List<AdvisedRun>> e : byGroup().entrySet()) {
      List<AdvisedRun> group = e.getValue();
      AdviceKind intended = intendedFor(group.get(0).fault());
      String recall = "-";
      String delay = "-";
      String stopped = "-";
      String stopDelay = "-";
      if (intended != null) {
        long[] d = delays(group);
        recall = percent((double) d.length / group.size());
        delay = medianAndP90(d);
        long[] stops = stopDelays(group);
        stopped = percent((double) stops.length / group.size());
        stopDelay = medianAndP90(stops);
      }
      out.printf(
          Locale.ROOT,
          "%-20s %5d %10s %8s %7s %10s %10s %12s %10s  %-15s %7s %8s %8s %8s%n",
          e.getKey(),
          group.size(),
          percent(share(group, AdviceKind.CONVERGED_AT_NOISE_FLOOR)),
          percent(share(group, AdviceKind.PLATEAU)),
          percent(share(group, AdviceKind.BARREN_PLATEAU)),
          percent(share(group, AdviceKind.DIVERGING)),
          percent(share(group, AdviceKind.COLLAPSED)),
          percent(falseFaultShare(group, false)),
          percent(falseFaultShare(group, true)),
          intended == null ? "-" : intended.name(),
          recall,
          delay,
          stopped,
          stopDelay);
    }
    List<AdvisedRun> healthy = runs.stream().filter(AdvisedRun::healthy).toList();
    out.println();
    out.printf(
        Locale.ROOT,
        "%-34s %5s %14s %21s%n",
        "healthy runs stopped at the advice",
        "runs",
        "epochs saved",
        "regret (JSD level)");
    out.printf(Locale.ROOT, "%-34s %5s %14s %21s%n", "", "", "median/p90", "median/p90");
    // The fault kinds too: what stopping a healthy run there would have cost is what makes such
    // advice harmless (a qGAN that never learned) or harmful (a run that went on to learn).
    List<AdviceKind> kinds = new ArrayList<>(STOP_WHEN_DONE_KINDS);
    kinds.addAll(FAULT_KINDS);
    for (AdviceKind kind : kinds) {
      long[] saved = epochsSaved(healthy, kind);
      double[] regret = regrets(healthy, kind, smoothingEpochs);
      out.printf(
          Locale.ROOT,
          "%-34s %5d %14s %21s%n",
          kind.name(),
          saved.length,
          medianAndP90(saved),
          regret.length == 0
              ? "-/-"
              : String.format(
                  Locale.ROOT,
                  "%.4f/%.4f",
                  Scoreboard.quantile(regret, 0.5),
                  Scoreboard.quantile(regret, 0.9)));
    }
  }

  private static String medianAndP90(long[] sorted) {
    return sorted.length == 0
        ? "-/-"
        : String.format(
            Locale.ROOT,
            "%d/%d",
            Scoreboard.quantile(sorted, 0.5),
            Scoreboard.quantile(sorted, 0.9));
  }

  /**
   * One line per model type: its healthy runs given a fault's advice, and the recall of each
   * fault's intended advice on its runs of that fault (the job picks its rules by model type).
   */
  static void printByModel(Map<String, List<AdvisedRun>> byModel, PrintStream out) {
    List<Fault> faults = List.of(Fault.MODE_COLLAPSE, Fault.DIVERGENCE, Fault.BARREN_PLATEAU);
    StringBuilder header =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "%-20s %8s %12s %10s",
                "advice by model",
                "healthy",
                "false fault",
                "not worse"));
    for (Fault f : faults) {
      header.append(String.format(Locale.ROOT, " %24s", intendedFor(f) + " recall"));
    }
    out.println(header);
    for (Map.Entry<String, List<AdvisedRun>> e : byModel.entrySet()) {
      List<AdvisedRun> healthy = e.getValue().stream().filter(AdvisedRun::healthy).toList();
      StringBuilder line =
          new StringBuilder(
              String.format(
                  Locale.ROOT,
                  "%-20s %8d %12s %10s",
                  e.getKey(),
                  healthy.size(),
                  healthy.isEmpty() ? "-" : percent(falseFaultShare(healthy, false)),
                  healthy.isEmpty() ? "-" : percent(falseFaultShare(healthy, true))));
      for (Fault f : faults) {
        List<AdvisedRun> faulty = e.getValue().stream().filter(r -> r.fault() == f).toList();
        line.append(
            String.format(
                Locale.ROOT,
                " %24s",
                faulty.isEmpty() ? "-" : percent(recall(faulty)) + " of " + faulty.size()));
      }
      out.println(line);
    }
  }

  /** Share of the group's runs given their fault's intended advice at or after the fault. */
  private static double recall(List<AdvisedRun> group) {
    return (double) delays(group).length / group.size();
  }

  private static String percent(double share) {
    return String.format(Locale.ROOT, "%.0f%%", 100 * share);
  }
}

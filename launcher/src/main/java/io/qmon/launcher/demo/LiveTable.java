package io.qmon.launcher.demo;

import io.qmon.producers.worker.SimulatedRunSpec;
import io.qmon.schemas.Advice;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Draws the demo's table of runs: one line per run with its latest epoch's metrics. */
final class LiveTable {
  private static final String CLEAR_SCREEN = "\033[H\033[2J";

  private LiveTable() {}

  /**
   * What is firing now ("!! detector SEVERITY @epoch") and the latest advice, for one run: every
   * kind given at the latest advice epoch, since one epoch can be both a collapse and a divergence
   * and the table should not show only whichever was published last.
   */
  static String marks(OutputTail.RunView view) {
    StringBuilder marks = new StringBuilder();
    view.firing.values().stream().sorted().forEach(a -> marks.append("!! ").append(a).append("  "));
    int latest = Integer.MIN_VALUE;
    List<String> kinds = new ArrayList<>();
    for (Advice a : view.advice) {
      if (a.getEpoch() > latest) {
        latest = a.getEpoch();
        kinds.clear();
      }
      if (a.getEpoch() == latest) {
        kinds.add(a.getKind().toString());
      }
    }
    if (!kinds.isEmpty()) {
      marks.append("advice ").append(String.join(", ", kinds)).append(" @").append(latest);
    }
    return marks.toString().strip();
  }

  static void render(
      OutputTail tail,
      List<SimulatedRunSpec> specs,
      PrintStream out,
      boolean redraw,
      long startNanos) {
    StringBuilder text = new StringBuilder();
    if (redraw) {
      text.append(CLEAR_SCREEN);
    }
    text.append(
        String.format(
            "qmon demo — %.0f s — live metrics from qgm.metrics (Ctrl-C stops)%n",
            DemoCommand.seconds(System.nanoTime() - startNanos)));
    text.append(
        String.format(
            "%-26s %6s %9s %7s %9s %9s %13s  %s%n",
            "run", "qubits", "epoch", "/ of", "JSD", "fidelity", "entropy bits", "alert / advice"));
    Map<String, OutputTail.RunView> runs = tail.runs();
    for (SimulatedRunSpec spec : specs) {
      OutputTail.RunView view = runs.get(spec.runId());
      if (view == null) {
        text.append(
            String.format(
                "%-26s %6d %9s %7d %9s %9s %13s%n",
                spec.runId(), spec.qubits(), "-", spec.epochs(), "-", "-", "-"));
      } else {
        text.append(
            String.format(
                "%-26s %6d %9d %7d %9.4f %9.4f %13.3f  %s%n",
                spec.runId(),
                spec.qubits(),
                view.lastEpoch,
                spec.epochs(),
                view.jsd,
                view.fidelity,
                view.entropy,
                marks(view)));
      }
    }
    text.append(
        String.format(
            "metric records: %d   dead letters: %d %s   alerts fired: %s%n",
            tail.metricRecords(),
            tail.deadLetterCount(),
            tail.deadLettersByType(),
            tail.alertsByDetector()));
    out.print(text);
    out.flush();
  }
}

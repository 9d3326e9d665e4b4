package io.qmon.bench.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qmon.bench.eval.AdviceScoreboard.AdvisedRun;
import io.qmon.bench.eval.AdviceScoreboard.Given;
import io.qmon.metrics.advice.AdviceKind;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The advice table's arithmetic on small hand-built advice sequences; every expected figure is
 * worked out by hand in the comment beside it.
 */
class AdviceScoreboardTest {
  private static final double[] FLAT_100 = new double[100];

  private static AdvisedRun run(Fault fault, long faultEpoch, double[] jsd, Given... advice) {
    return new AdvisedRun(fault.label(), fault, faultEpoch, jsd, List.of(advice));
  }

  private static Given given(AdviceKind kind, long epoch) {
    return new Given(kind, epoch, false);
  }

  /** Five collapse runs, fault at epoch 50. */
  private static List<AdvisedRun> collapses() {
    return List.of(
        run(Fault.MODE_COLLAPSE, 50, FLAT_100, given(AdviceKind.COLLAPSED, 52)),
        run(Fault.MODE_COLLAPSE, 50, FLAT_100, given(AdviceKind.COLLAPSED, 60)),
        // Told "collapsed" before the collapse: wrong, and (each kind once per run) a miss.
        run(Fault.MODE_COLLAPSE, 50, FLAT_100, given(AdviceKind.COLLAPSED, 40)),
        run(Fault.MODE_COLLAPSE, 50, FLAT_100),
        run(
            Fault.MODE_COLLAPSE,
            50,
            FLAT_100,
            given(AdviceKind.COLLAPSED, 50),
            given(AdviceKind.DIVERGING, 70)));
  }

  @Test
  void shouldCountOnlyTheIntendedAdviceAtOrAfterTheFaultAsCaught() {
    // Delays 52-50 = 2, 60-50 = 10, 50-50 = 0; epoch 40 is before the fault; one run has none.
    long[] delays = AdviceScoreboard.delays(collapses());

    assertArrayEquals(new long[] {0, 2, 10}, delays);
    // Recall 3 of 5; nearest rank: median rank ceil(1.5) = 2 -> 2, p90 rank ceil(2.7) = 3 -> 10.
    assertEquals(0.6, (double) delays.length / collapses().size(), 1e-12);
    assertEquals(2, Scoreboard.quantile(delays, 0.5));
    assertEquals(10, Scoreboard.quantile(delays, 0.9));
  }

  @Test
  void shouldCountAnyFaultAdviceAtOrAfterTheFaultAsAStop() {
    // The first fault advice at or after epoch 50: 52, 60, none (40 is before), none, 50 (then
    // DIVERGING at 70, later); delays 2, 10, 0. A collapse told only DIVERGING is stopped at 55.
    List<AdvisedRun> runs = new java.util.ArrayList<>(collapses());
    runs.add(run(Fault.MODE_COLLAPSE, 50, FLAT_100, given(AdviceKind.DIVERGING, 55)));
    // Told PLATEAU after the fault: not a stop for a fault.
    runs.add(run(Fault.MODE_COLLAPSE, 50, FLAT_100, given(AdviceKind.PLATEAU, 51)));
    // No advice names noise drift, so its runs are not counted at all.
    runs.add(run(Fault.NOISE_DRIFT, 50, FLAT_100, given(AdviceKind.DIVERGING, 52)));

    assertArrayEquals(new long[] {0, 2, 5, 10}, AdviceScoreboard.stopDelays(runs));
  }

  @Test
  void shouldShareRunsByAdviceKindAtAnyEpoch() {
    // COLLAPSED in 4 of 5 (the early one included), DIVERGING in 1 of 5, PLATEAU in none.
    assertEquals(0.8, AdviceScoreboard.share(collapses(), AdviceKind.COLLAPSED), 1e-12);
    assertEquals(0.2, AdviceScoreboard.share(collapses(), AdviceKind.DIVERGING), 1e-12);
    assertEquals(0.0, AdviceScoreboard.share(collapses(), AdviceKind.PLATEAU), 1e-12);
  }

  @Test
  void shouldCallFaultAdviceWrongOnHealthyRunsAndBeforeTheFault() {
    // Collapse runs: only the COLLAPSED at 40 < 50 came while healthy, 1 of 5.
    assertEquals(0.2, AdviceScoreboard.falseFaultShare(collapses(), false), 1e-12);
    // Healthy runs: BARREN_PLATEAU and DIVERGING are wrong at any epoch; converged and plateau are
    // not. Wrong in 2 of 4.
    List<AdvisedRun> healthy =
        List.of(
            run(Fault.NONE, 0, FLAT_100, given(AdviceKind.BARREN_PLATEAU, 30)),
            run(
                Fault.NONE,
                0,
                FLAT_100,
                given(AdviceKind.PLATEAU, 40),
                given(AdviceKind.DIVERGING, 90)),
            run(Fault.NONE, 0, FLAT_100, given(AdviceKind.PLATEAU, 35)),
            run(Fault.NONE, 0, FLAT_100, given(AdviceKind.CONVERGED_AT_NOISE_FLOOR, 20)));
    assertEquals(0.5, AdviceScoreboard.falseFaultShare(healthy, false), 1e-12);
  }

  @Test
  void shouldExcuseOnlyLossClaimsMadeWhileTheModelWasWorse() {
    // Four healthy runs: DIVERGING and COLLAPSED given while the exact output was worse than its
    // best are excused; the same kinds on a model not worse, and BARREN_PLATEAU (which claims no
    // loss) whatever the model did, still count. Wrong in 4 of 4 read plainly, 3 of 4 read with
    // the model: the run excused is the second.
    List<AdvisedRun> healthy =
        List.of(
            run(Fault.NONE, 0, FLAT_100, new Given(AdviceKind.DIVERGING, 50, false)),
            run(
                Fault.NONE,
                0,
                FLAT_100,
                new Given(AdviceKind.DIVERGING, 50, true),
                new Given(AdviceKind.COLLAPSED, 60, true)),
            run(
                Fault.NONE,
                0,
                FLAT_100,
                new Given(AdviceKind.COLLAPSED, 40, true),
                new Given(AdviceKind.DIVERGING, 70, false)),
            run(Fault.NONE, 0, FLAT_100, new Given(AdviceKind.BARREN_PLATEAU, 30, true)));

    assertEquals(1.0, AdviceScoreboard.falseFaultShare(healthy, false), 1e-12);
    assertEquals(0.75, AdviceScoreboard.falseFaultShare(healthy, true), 1e-12);
  }

  @Test
  void shouldNeverCallABarrenPlateauFromTheStartEarlyOrLeaveAFaultWithoutAdviceUncaught() {
    // A barren plateau starts at epoch 1: BARREN_PLATEAU at 30 is caught 29 epochs after it.
    List<AdvisedRun> barren =
        List.of(run(Fault.BARREN_PLATEAU, 1, FLAT_100, given(AdviceKind.BARREN_PLATEAU, 30)));
    assertArrayEquals(new long[] {29}, AdviceScoreboard.delays(barren));
    assertEquals(0.0, AdviceScoreboard.falseFaultShare(barren, false), 1e-12);
    // Noise drift has no advice meant for it: a COLLAPSED after the drift is not a catch.
    List<AdvisedRun> drift =
        List.of(run(Fault.NOISE_DRIFT, 60, FLAT_100, given(AdviceKind.COLLAPSED, 70)));
    assertNull(AdviceScoreboard.intendedFor(Fault.NOISE_DRIFT));
    assertArrayEquals(new long[] {}, AdviceScoreboard.delays(drift));
  }

  @Test
  void shouldTakeTheMedianOfTheLastKEpochsAsTheLevel() {
    double[] jsd = {0.1, 0.4, 0.2, 0.3};
    // k = 4 at epoch 4: sorted 0.1 0.2 0.3 0.4, even count, (0.2 + 0.3) / 2.
    assertEquals(0.25, AdviceScoreboard.level(jsd, 4, 4), 1e-12);
    // k = 3 at epoch 4: 0.4 0.2 0.3 -> 0.3; a young run at epoch 2: (0.1 + 0.4) / 2.
    assertEquals(0.3, AdviceScoreboard.level(jsd, 4, 3), 1e-12);
    assertEquals(0.25, AdviceScoreboard.level(jsd, 2, 3), 1e-12);
  }

  @Test
  void shouldMeasureEpochsSavedAndRegretOfStoppingAtTheAdvice() {
    List<AdvisedRun> healthy =
        List.of(
            // Plateau at 5 of 10: level(5) = median(0.30, 0.25, 0.20) = 0.25, final level(10) =
            // median(0.15, 0.14, 0.12) = 0.14; regret 0.11, saved 10 - 5 = 5.
            run(
                Fault.NONE,
                0,
                new double[] {0.50, 0.40, 0.30, 0.25, 0.20, 0.18, 0.16, 0.15, 0.14, 0.12},
                given(AdviceKind.PLATEAU, 5)),
            // Plateau at 6 of 12: level(6) = median(0.40, 0.42, 0.41) = 0.41, final level(12) =
            // median(0.40, 0.40, 0.41) = 0.40; regret 0.01, saved 12 - 6 = 6.
            run(
                Fault.NONE,
                0,
                new double[] {
                  0.60, 0.50, 0.45, 0.40, 0.42, 0.41, 0.40, 0.41, 0.39, 0.40, 0.40, 0.41
                },
                given(AdviceKind.PLATEAU, 6)),
            // Converged at 8 of 10: level(8) = median(0.03, 0.02, 0.02) = 0.02, final level(10) =
            // median(0.02, 0.03, 0.05) = 0.03; regret -0.01 (it got worse), saved 2.
            run(
                Fault.NONE,
                0,
                new double[] {0.30, 0.20, 0.10, 0.05, 0.04, 0.03, 0.02, 0.02, 0.03, 0.05},
                given(AdviceKind.CONVERGED_AT_NOISE_FLOOR, 8)),
            // Told nothing that stops it well: in neither list.
            run(Fault.NONE, 0, FLAT_100, given(AdviceKind.BARREN_PLATEAU, 30)));

    assertArrayEquals(new long[] {5, 6}, AdviceScoreboard.epochsSaved(healthy, AdviceKind.PLATEAU));
    assertArrayEquals(
        new double[] {0.01, 0.11}, AdviceScoreboard.regrets(healthy, AdviceKind.PLATEAU, 3), 1e-12);
    assertArrayEquals(
        new long[] {2}, AdviceScoreboard.epochsSaved(healthy, AdviceKind.CONVERGED_AT_NOISE_FLOOR));
    assertArrayEquals(
        new double[] {-0.01},
        AdviceScoreboard.regrets(healthy, AdviceKind.CONVERGED_AT_NOISE_FLOOR, 3),
        1e-12);
    // Nearest rank over two: median rank 1 -> 0.01, p90 rank ceil(1.8) = 2 -> 0.11.
    double[] regrets = AdviceScoreboard.regrets(healthy, AdviceKind.PLATEAU, 3);
    assertEquals(0.01, Scoreboard.quantile(regrets, 0.5), 1e-12);
    assertEquals(0.11, Scoreboard.quantile(regrets, 0.9), 1e-12);
  }

  @Test
  void shouldPrintEachGroupsFiguresOnItsRow() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new AdviceScoreboard(collapses(), 10)
        .print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String row =
        bytes
            .toString(StandardCharsets.UTF_8)
            .lines()
            .filter(l -> l.startsWith("mode-collapse"))
            .findFirst()
            .orElseThrow();

    // 5 runs; converged 0%, plateau 0%, barren 0%, diverging 20%, collapsed 80%, false fault
    // 20% (and 20% on a model not worse: no advice here came while it was), intended COLLAPSED,
    // recall 60%, delay 2/10; stopped for a fault 60%, delay 2/10 (the
    // DIVERGING at 70 comes after the same run's COLLAPSED at 50).
    assertEquals(
        List.of(
            "mode-collapse",
            "5",
            "0%",
            "0%",
            "0%",
            "20%",
            "80%",
            "20%",
            "20%",
            "COLLAPSED",
            "60%",
            "2/10",
            "60%",
            "2/10"),
        List.of(row.trim().split("\\s+")));
    assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("CONVERGED_AT_NOISE_FLOOR"));
  }
}

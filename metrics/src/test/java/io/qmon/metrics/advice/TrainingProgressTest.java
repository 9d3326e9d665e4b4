package io.qmon.metrics.advice;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * The classifier on short series recorded from qmon's simulator (resources {@code advice/*.csv};
 * each file's first line says how it was trained). Expectations are worked out by hand from the
 * files and written next to each test.
 */
class TrainingProgressTest {
  private record Row(long epoch, double jsd, double floor, double floorExpected, double coverage) {}

  private static List<Row> series(String name) throws IOException {
    List<Row> rows = new ArrayList<>();
    try (InputStream in = TrainingProgressTest.class.getResourceAsStream("/advice/" + name)) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split(",");
        rows.add(
            new Row(
                Long.parseLong(f[0]),
                Double.parseDouble(f[1]),
                Double.parseDouble(f[2]),
                Double.parseDouble(f[3]),
                Double.parseDouble(f[4])));
      }
    }
    return rows;
  }

  private static List<Advice> replay(List<Row> rows, long shots, OptionalInt maxEpochs) {
    return replay(AdviceSettings.DEFAULTS, rows, shots, maxEpochs);
  }

  private static List<Advice> replay(
      AdviceSettings settings, List<Row> rows, long shots, OptionalInt maxEpochs) {
    TrainingProgress progress = new TrainingProgress(settings);
    TrainingProgress.State state = progress.initialState();
    List<Advice> out = new ArrayList<>();
    for (Row r : rows) {
      out.addAll(
          progress.observe(
              state,
              r.epoch(),
              r.jsd(),
              r.floor(),
              r.floorExpected(),
              r.coverage(),
              shots,
              maxEpochs));
    }
    return out;
  }

  @Test
  void shouldAdviseStoppingWhenTheMedianOfTenEpochsReachesTheFloor() throws IOException {
    // Floor 0.00364 (99%) at 1024 shots. Epochs 57..66: 0.00853 0.00260 0.00319 0.00319 0.00470
    // 0.00487 0.00640 0.00248 0.00167 0.00295, median (0.00319 + 0.00319) / 2 = 0.00319 <= floor;
    // at epoch 65 (56..65) the median is (0.00319 + 0.00467) / 2 = 0.00393 > floor.
    List<Advice> advice = replay(series("converged-3q-1024.csv"), 1024, OptionalInt.of(200));
    Advice converged = only(advice, AdviceKind.CONVERGED_AT_NOISE_FLOOR);
    assertEquals(66, converged.epoch());
    assertEquals(57, converged.sinceEpoch());
    assertEquals(0.00319, converged.level(), 1e-12);
    assertEquals(0.00364, converged.floor(), 1e-12);
    assertEquals(0.00130, converged.floorExpected(), 1e-12);
    assertArrayEquals(
        new double[] {
          0.00853, 0.00260, 0.00319, 0.00319, 0.00470, 0.00487, 0.00640, 0.00248, 0.00167, 0.00295
        },
        converged.values(),
        1e-12);
    assertTrue(converged.kind().stop());
    // Declared 200 epochs: stopping at 66 saves 134 epochs of 1024 shots.
    assertEquals(134, converged.epochsSaved());
    assertEquals(134L * 1024, converged.shotsSaved());
    assertNone(advice, AdviceKind.BARREN_PLATEAU, AdviceKind.DIVERGING, AdviceKind.COLLAPSED);
  }

  @Test
  void shouldNotClaimSavingsWithoutDeclaredEpochs() throws IOException {
    Advice converged =
        only(
            replay(series("converged-3q-1024.csv"), 1024, OptionalInt.empty()),
            AdviceKind.CONVERGED_AT_NOISE_FLOOR);
    assertEquals(0, converged.epochsSaved());
    assertEquals(0, converged.shotsSaved());
  }

  @Test
  void shouldCallAFlatStretchAboveTheFloorAPlateau() throws IOException {
    // 512 shots, floor 0.01991 with mean 0.01206: sampling spread S = 0.00785. The best 10-epoch
    // median was 0.02441 from epoch 54 on; 20 epochs earlier it was 0.03338 at epoch 42 (drop
    // 0.00897 > S at epoch 62), 0.03292 at 43, 0.03245 at 44 (0.00804 > S) and 0.03208 at 45:
    // 0.00767 < S at epoch 65, while the level 0.02658 is above the floor. (Against the whole floor
    // it was called at 61, with 0.0136 of progress in the last 20 epochs.) The run had improved
    // from its first level (0.4057), so not barren.
    List<Advice> advice = replay(series("plateau-5q-512.csv"), 512, OptionalInt.of(120));
    Advice plateau = only(advice, AdviceKind.PLATEAU);
    assertEquals(65, plateau.epoch());
    assertEquals(54, plateau.bestEpoch());
    assertTrue(plateau.level() > plateau.floor());
    assertFalse(plateau.kind().stop());
    assertEquals(30, plateau.values().length);
    assertNone(
        advice,
        AdviceKind.BARREN_PLATEAU,
        AdviceKind.CONVERGED_AT_NOISE_FLOOR,
        AdviceKind.DIVERGING,
        AdviceKind.COLLAPSED);
  }

  @Test
  void shouldCallARunFlatFromTheStartABarrenPlateau() throws IOException {
    // SPSA a = 0.002 from a random start on 6 qubits: jsd stays in 0.445..0.498 (floor 0.0177,
    // mean 0.0123: spread 0.0053). First level (epochs 1..10) 0.4821; at W + k = 30 epochs the best
    // level is 0.4681 (epoch 19), flat since epoch 10 (0.4716 → 0.4681, less than the spread). The
    // run wandered 0.0140 below its first level, more than sampling noise but less than a tenth of
    // the way to the floor: 0.1 × (0.4821 − 0.0177) = 0.0464.
    List<Advice> advice = replay(series("barren-6q-1024.csv"), 1024, OptionalInt.of(60));
    Advice barren = only(advice, AdviceKind.BARREN_PLATEAU);
    assertEquals(30, barren.epoch());
    assertEquals(1, barren.sinceEpoch());
    assertTrue(barren.kind().stop());
    assertEquals(30, barren.epochsSaved());
    assertNone(advice, AdviceKind.PLATEAU, AdviceKind.CONVERGED_AT_NOISE_FLOOR);
  }

  @Test
  void shouldNotCallAHealthyRunBarrenWhereTheFloorIsMostlyBias() throws IOException {
    // 8 qubits at 128 shots: floor 0.3627, mean 0.3154, spread S = 0.0473. First level 0.6609; at
    // epoch 30 the best level is 0.4853, 0.1756 below it (more than S, and more than a tenth of the
    // way to the floor, 0.0298): progress, though less than one floor, so the whole-floor rule
    // stopped this run as barren at 30. The best level keeps falling, to 0.4090 at epoch 55; 20
    // epochs before epoch 57 it was 0.4559 (epoch 37): 0.0469 < S, flat, so PLATEAU at 57.
    List<Advice> advice = replay(series("learning-8q-128.csv"), 128, OptionalInt.of(120));
    Advice plateau = only(advice, AdviceKind.PLATEAU);
    assertEquals(57, plateau.epoch());
    assertEquals(55, plateau.bestEpoch());
    assertEquals(0.4090, plateau.bestLevel(), 1e-4);
    assertNone(
        advice,
        AdviceKind.BARREN_PLATEAU,
        AdviceKind.CONVERGED_AT_NOISE_FLOOR,
        AdviceKind.DIVERGING,
        AdviceKind.COLLAPSED);
  }

  @Test
  void shouldNotCallAHealthyQganSwingingNearItsTargetDiverging() throws IOException {
    // First level (median of epochs 1..10) 0.3531, best level 0.0127 at epoch 63. Epochs 78..80 are
    // 0.0297, 0.0369, 0.0461, each above 2 × 0.0127 + 2 × 0.000407 = 0.0263, which alone called
    // this run diverging at 80; it ends at a level of 0.0134. None of them gave back a fifth of the
    // way it came: 0.0127 + 0.2 × (0.3531 − 0.0127) = 0.0808. Worked out in Python from the CSV.
    // Under the qGAN rules the job gives it (under the standard ones its coverage, 1.0 → 0.75 at
    // epochs 79..81, would pass a 0.75 collapse fraction).
    List<Row> rows = series("qgan-swing-3q-8192.csv");
    List<Advice> advice = replay(AdviceSettings.QGAN_DEFAULTS, rows, 8192, OptionalInt.of(120));
    assertNone(advice, AdviceKind.DIVERGING, AdviceKind.COLLAPSED, AdviceKind.BARREN_PLATEAU);
    double twiceBestAndFloors = 2 * 0.0127455 + 2 * 0.000407;
    for (int epoch = 78; epoch <= 80; epoch++) {
      assertTrue(rows.get(epoch - 1).jsd() > twiceBestAndFloors, "epoch " + epoch);
    }
  }

  @Test
  void shouldCallATripledDivergenceDiverging() throws IOException {
    // SPSA a = 3.0: jsd 0.211, 0.196, 0.383 (best level: median of epochs 1..3 = 0.21118; the
    // median of epochs 1..2, 0.2035, is no level), then 0.467, 0.703, 0.676 at epochs 5..7, each
    // above 2 × 0.21118 + 2 × 0.00579 = 0.4339.
    List<Advice> advice = replay(series("diverging-4q-1024.csv"), 1024, OptionalInt.of(40));
    Advice diverging = only(advice, AdviceKind.DIVERGING);
    assertEquals(7, diverging.epoch());
    assertEquals(5, diverging.sinceEpoch());
    assertEquals(0.21118, diverging.bestLevel(), 1e-12);
    assertEquals(3, diverging.bestEpoch());
    assertArrayEquals(new double[] {0.46700, 0.70343, 0.67579}, diverging.values(), 1e-12);
    assertNone(advice, AdviceKind.PLATEAU, AdviceKind.BARREN_PLATEAU);
  }

  /** Ten epochs at full coverage (best median 1.0), then 0.6, 0.5, 0.4, 0.5. */
  private static final double[] LOST_COVERAGE = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0.6, 0.5, 0.4, 0.5};

  private static List<Advice> replay(double[] jsd, double[] coverage) {
    return replay(AdviceSettings.DEFAULTS, jsd, coverage);
  }

  private static List<Advice> replay(AdviceSettings settings, double[] jsd, double[] coverage) {
    TrainingProgress progress = new TrainingProgress(settings);
    TrainingProgress.State state = progress.initialState();
    List<Advice> advice = new ArrayList<>();
    for (int i = 0; i < coverage.length; i++) {
      double floor = Double.isNaN(jsd[i]) ? Double.NaN : 0.01;
      advice.addAll(
          progress.observe(
              state, i + 1, jsd[i], floor, 0.005, coverage[i], 1000, OptionalInt.empty()));
    }
    return advice;
  }

  @Test
  void shouldCallDivergingOnlyOnceTheRunGaveBackAFifthOfItsProgress() {
    // First level 0.5 (epochs 1..10), best level 0.05; the doubled level 2 × 0.05 − E 0.005 + 2 ×
    // S 0.005 = 0.105 is passed by epochs 26..28 (0.13, 0.135, 0.15), but a fifth of the way back
    // is 0.05 + 0.2 × 0.45 = 0.14, passed by each of epochs 28..30 first.
    double[] jsd = new double[31];
    Arrays.fill(jsd, 0, 10, 0.5);
    Arrays.fill(jsd, 10, 25, 0.05);
    System.arraycopy(new double[] {0.13, 0.135, 0.15, 0.2, 0.25, 0.3}, 0, jsd, 25, 6);
    double[] coverage = new double[jsd.length];
    Arrays.fill(coverage, 1.0);
    Advice diverging = only(replay(jsd, coverage), AdviceKind.DIVERGING);
    assertEquals(30, diverging.epoch());
    assertEquals(28, diverging.sinceEpoch());
    assertEquals(0.05, diverging.bestLevel(), 1e-12);
  }

  /**
   * Appends {@code epochs} epochs at {@code jsd} under one floor and its mean, at full coverage.
   */
  private static void append(List<Row> rows, int epochs, double jsd, double floor, double mean) {
    for (int i = 0; i < epochs; i++) {
      rows.add(new Row(rows.size() + 1, jsd, floor, mean, 1.0));
    }
  }

  /** Appends one epoch per value under one floor and its mean, at full coverage. */
  private static void append(List<Row> rows, double floor, double mean, double... jsd) {
    for (double value : jsd) {
      append(rows, 1, value, floor, mean);
    }
  }

  @Test
  void shouldCountTheDoublingOfADivergenceAboveTheFloorsMean() {
    // An 8-qubit Born machine at 128 shots (eval-detectors seed 1, run 88): floor F 0.4113, its
    // mean E 0.3714, so S 0.0399. First level 0.62 (epochs 1..10), best level 0.415 (epochs
    // 11..30), then 0.548, 0.666, 0.644 at epochs 31..33. 2B + 2F = 1.6526 is above any JSD; twice
    // the best above the mean plus 2S is 0.3714 + 2 × 0.0436 + 2 × 0.0399 = 0.5384, passed by each,
    // and above a fifth of the way back, 0.415 + 0.2 × 0.205 = 0.456.
    List<Row> rows = new ArrayList<>();
    append(rows, 10, 0.62, 0.4113, 0.3714);
    append(rows, 20, 0.415, 0.4113, 0.3714);
    append(rows, 0.4113, 0.3714, 0.548, 0.666, 0.644);
    List<Advice> advice = replay(rows, 128, OptionalInt.of(120));
    Advice diverging = only(advice, AdviceKind.DIVERGING);
    assertEquals(33, diverging.epoch());
    assertEquals(31, diverging.sinceEpoch());
    assertEquals(0.415, diverging.bestLevel(), 1e-12);
    assertEquals(0.5384, TrainingProgress.doubledLevel(0.415, 0.4113, 0.3714), 1e-12);
    assertNone(advice, AdviceKind.CONVERGED_AT_NOISE_FLOOR, AdviceKind.COLLAPSED);
  }

  @Test
  void shouldNotCallARiseToTheFloorOfFewerShotsDiverging() {
    // 2048 shots (F 0.03, E 0.02): first level 0.4, best level 0.18 (epochs 11..30); then an
    // eighth of the shots (F 0.242, E 0.207): 0.327, 0.281, 0.310, each above E + 2S = 0.277 and a
    // fifth of the way back, 0.18 + 0.2 × 0.22 = 0.224, but the bias of 2048 shots is no part of
    // the best 0.18 to remove; within the new floor it must double with the floor: 2 × 0.18 + 2 ×
    // 0.242 = 0.844. The level, 0.18, is within the new floor: converged at epoch 31.
    List<Row> rows = new ArrayList<>();
    append(rows, 10, 0.4, 0.03, 0.02);
    append(rows, 20, 0.18, 0.03, 0.02);
    append(rows, 0.242, 0.207, 0.327, 0.281, 0.310);
    List<Advice> advice = replay(rows, 256, OptionalInt.of(120));
    assertNone(advice, AdviceKind.DIVERGING);
    assertEquals(31, only(advice, AdviceKind.CONVERGED_AT_NOISE_FLOOR).epoch());
    assertEquals(2 * 0.18 + 2 * 0.242, TrainingProgress.doubledLevel(0.18, 0.242, 0.207), 1e-12);
  }

  @Test
  void shouldCallLostCoverageWithAWorseDivergenceACollapse() {
    // Coverage at or below 0.75 of the best in epochs 11..13 (0.6, 0.5, 0.4), and jsd there (0.15,
    // 0.2, 0.25) above the best level 0.1 + floor 0.01 = 0.11.
    double[] jsd = {.1, .1, .1, .1, .1, .1, .1, .1, .1, .1, .15, .2, .25, .22};
    Advice collapsed = only(replay(jsd, LOST_COVERAGE), AdviceKind.COLLAPSED);
    assertEquals(13, collapsed.epoch());
    assertEquals(11, collapsed.sinceEpoch());
    assertEquals("coverage", collapsed.metric());
    assertEquals(1.0, collapsed.bestLevel());
  }

  @Test
  void shouldKeepTheWindowsARunsStateWasBuiltWithWhenTheSettingsGrow() {
    // A run opened under W = 20 (rings for 20 + 10 epochs) restored into a job with W = 40: it
    // has no history for 40 epochs, so it is judged over the 20 it has (barren at 30, evidence
    // epochs 1..30), not over rings that wrap onto recent epochs.
    TrainingProgress before = new TrainingProgress(AdviceSettings.DEFAULTS);
    TrainingProgress after = new TrainingProgress(AdviceSettings.QGAN_DEFAULTS);
    TrainingProgress.State state = before.initialState();
    List<Advice> advice = new ArrayList<>();
    for (int epoch = 1; epoch <= 60; epoch++) {
      TrainingProgress judge = epoch <= 25 ? before : after;
      advice.addAll(judge.observe(state, epoch, 0.05, 0.01, 0.005, 1.0, 1000, OptionalInt.empty()));
    }
    Advice barren = only(advice, AdviceKind.BARREN_PLATEAU);
    assertEquals(30, barren.epoch());
    assertEquals(1, barren.sinceEpoch());
    assertEquals(30, barren.values().length);
  }

  @Test
  void shouldWaitForAQganToLoseHalfItsModes() {
    // Under the qGAN rules (fraction 0.5) epoch 11's 0.6 is not a loss: at or below half the best
    // in epochs 12..14 (0.5, 0.4, 0.5), jsd there (0.2, 0.25, 0.22) above 0.11.
    double[] jsd = {.1, .1, .1, .1, .1, .1, .1, .1, .1, .1, .15, .2, .25, .22};
    Advice collapsed =
        only(replay(AdviceSettings.QGAN_DEFAULTS, jsd, LOST_COVERAGE), AdviceKind.COLLAPSED);
    assertEquals(14, collapsed.epoch());
    assertEquals(12, collapsed.sinceEpoch());
  }

  @Test
  void shouldGiveAQganTwiceTheEpochsToShowProgressBeforeCallingItBarren() {
    // Flat at 0.05 from the start, floor 0.01 (mean 0.005): the level never moves, so the run is
    // flat once it has W + k epochs: 20 + 10 = 30 under the standard rules, 40 + 10 = 50 for a
    // qGAN.
    double[] jsd = new double[60];
    Arrays.fill(jsd, 0.05);
    double[] coverage = new double[jsd.length];
    Arrays.fill(coverage, 1.0);
    assertEquals(30, only(replay(jsd, coverage), AdviceKind.BARREN_PLATEAU).epoch());
    assertEquals(
        50,
        only(replay(AdviceSettings.QGAN_DEFAULTS, jsd, coverage), AdviceKind.BARREN_PLATEAU)
            .epoch());
  }

  @Test
  void shouldCountProgressMadeInTheFirstEpochsAgainstABarrenPlateau() {
    // A qGAN that fell from 0.44 to 0.26 in its first four epochs and then stalled (floor 0.01,
    // mean 0.005). The median of its first 10 epochs is 0.26 already, the level it stays at, so
    // against that alone it "never progressed"; its first 3 epochs' median is 0.35, and 0.35 − 0.26
    // = 0.09 is more than a tenth of the way to the floor (0.034): a plateau at W + k = 50, not a
    // barren one.
    double[] jsd = new double[60];
    Arrays.fill(jsd, 0.26);
    System.arraycopy(new double[] {0.44, 0.35, 0.30}, 0, jsd, 0, 3);
    double[] coverage = new double[jsd.length];
    Arrays.fill(coverage, 1.0);
    List<Advice> advice = replay(AdviceSettings.QGAN_DEFAULTS, jsd, coverage);
    assertEquals(50, only(advice, AdviceKind.PLATEAU).epoch());
    assertNone(advice, AdviceKind.BARREN_PLATEAU);
  }

  @Test
  void shouldNotCountALuckyFirstEpochAsProgressFromABarrenStart() {
    // A stalled run (as a Born machine at SPSA a = 1e-4 on 4 qubits, 512 shots, whose first epoch
    // drew 0.403 against 0.45 after): 0.40 at epoch 1, 0.45 from then on; floor 0.01, mean 0.005.
    // First level 0.45 (epochs 1..10: nine of ten at 0.45; first 3: 0.45). The level of epoch 1
    // alone is 0.40, 0.05 below it, more than a tenth of the way to the floor, 0.1 × (0.45 − 0.01)
    // = 0.044, so against it the run "progressed" and was told PLATEAU at W + k = 30. Its best
    // level from epoch 3 on (median of epochs 1..3: 0.45, and so every later one) is 0.45: no
    // progress at all, and flat since epoch 10, a barren plateau at 30.
    double[] jsd = new double[60];
    Arrays.fill(jsd, 0.45);
    jsd[0] = 0.40;
    double[] coverage = new double[jsd.length];
    Arrays.fill(coverage, 1.0);
    List<Advice> advice = replay(jsd, coverage);
    Advice barren = only(advice, AdviceKind.BARREN_PLATEAU);
    assertEquals(30, barren.epoch());
    assertEquals(1, barren.sinceEpoch());
    assertEquals(0.45, barren.bestLevel(), 1e-12);
    assertNone(advice, AdviceKind.PLATEAU);
  }

  @Test
  void shouldNotCallFewerModesAtAnUnchangedDivergenceACollapse() {
    double[] jsd = new double[LOST_COVERAGE.length];
    Arrays.fill(jsd, 0.1);
    assertNone(replay(jsd, LOST_COVERAGE), AdviceKind.COLLAPSED);
    // One epoch of the three within the floor of the best level is enough to hold it back.
    double[] oneWithin = {.1, .1, .1, .1, .1, .1, .1, .1, .1, .1, .15, .2, .105, .22};
    assertNone(replay(oneWithin, LOST_COVERAGE), AdviceKind.COLLAPSED);
  }

  @Test
  void shouldJudgeCoverageAloneWhenTheDivergenceIsUnknown() {
    double[] unknown = new double[LOST_COVERAGE.length];
    Arrays.fill(unknown, Double.NaN);
    assertEquals(13, only(replay(unknown, LOST_COVERAGE), AdviceKind.COLLAPSED).epoch());
  }

  @Test
  void shouldNotCallARunNarrowingOnItsWayToTheTargetACollapse() throws IOException {
    // Recorded: coverage 0.75 → 0.25 at epochs 15..17 (best median 0.75), while the jsd level
    // fell from 0.188 (epoch 13) to 0.1725; the run reaches 0.0062 by epoch 45 and was its sweep's
    // best. The coverage-only rule advised COLLAPSED (stop) at epoch 17.
    List<Advice> advice = replay(series("narrowing-3q-1024.csv"), 1024, OptionalInt.of(80));
    assertNone(advice, AdviceKind.COLLAPSED, AdviceKind.DIVERGING, AdviceKind.BARREN_PLATEAU);
  }

  @Test
  void shouldRefuseSettingsThatCannotWork() {
    assertThrows(
        IllegalArgumentException.class, () -> new AdviceSettings(0, 20, 3, 3, 0.5, 0.1, 0.2));
    assertThrows(
        IllegalArgumentException.class, () -> new AdviceSettings(10, 20, 3, 3, 1.0, 0.1, 0.2));
    assertThrows(
        IllegalArgumentException.class, () -> new AdviceSettings(10, 20, 3, 3, 0.5, 0, 0.2));
  }

  private static Advice only(List<Advice> advice, AdviceKind kind) {
    List<Advice> of = advice.stream().filter(a -> a.kind() == kind).toList();
    assertEquals(1, of.size(), kind + " decided " + of.size() + " times in " + advice);
    return of.get(0);
  }

  private static void assertNone(List<Advice> advice, AdviceKind... kinds) {
    for (AdviceKind kind : kinds) {
      assertTrue(advice.stream().noneMatch(a -> a.kind() == kind), kind + " decided in " + advice);
    }
  }
}

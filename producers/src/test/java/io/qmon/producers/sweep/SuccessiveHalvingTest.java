package io.qmon.producers.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

class SuccessiveHalvingTest {
  @Test
  void shouldPlaceRungsFromTheFirstLevelToTheLastEpoch() {
    // 8 configurations, eta 2: three halvings (8 -> 4 -> 2 -> 1); 60 / 2^3 = 7.5 rounds up to 8,
    // below k = 10, so the first rung is 10, then 20, 40, and the last epoch 60.
    assertEquals(List.of(10, 20, 40, 60), new SuccessiveHalving(2, 10, 60).rungs(8));
    // 16 configurations, eta 4, 80 epochs: two halvings, 80 / 16 = 5 -> 10, 40, 80.
    assertEquals(List.of(10, 40, 80), new SuccessiveHalving(4, 10, 80).rungs(16));
    // One configuration: no halving, one rung at the end.
    assertEquals(List.of(30), new SuccessiveHalving(2, 10, 30).rungs(1));
  }

  @Test
  void shouldCutNothingBeforeTheGracePeriod() {
    // 8 configurations, eta 2, 80 epochs: 10, 20, 40, 80 without grace; with 20 the first cut is
    // at epoch 20 (8 -> 4), then 40 (4 -> 2), and the last rung ranks the two finalists at 80.
    assertEquals(List.of(10, 20, 40, 80), new SuccessiveHalving(2, 10, 80, 10).rungs(8));
    assertEquals(List.of(20, 40, 80), new SuccessiveHalving(2, 10, 80, 20).rungs(8));
    assertEquals(List.of(30, 60, 80), new SuccessiveHalving(2, 10, 80, 30).rungs(8));
    assertEquals(List.of(80), new SuccessiveHalving(2, 10, 80, 80).rungs(8));
    assertThrows(IllegalArgumentException.class, () -> new SuccessiveHalving(2, 10, 80, 81));
  }

  @Test
  void shouldKeepTheLowestLevelsRoundingUp() {
    SuccessiveHalving rule = new SuccessiveHalving(2, 10, 60);
    List<Double> levels = List.of(0.30, 0.05, 0.20, 0.01, 0.12);
    assertEquals(List.of(0.01, 0.05, 0.12), rule.keep(levels, Comparator.naturalOrder()));
    assertEquals(1, rule.survivors(1));
  }

  @Test
  void shouldRefuseAnEtaThatHalvesNothing() {
    assertThrows(IllegalArgumentException.class, () -> new SuccessiveHalving(1, 10, 60));
    assertThrows(IllegalArgumentException.class, () -> new SuccessiveHalving(2, 10, 5));
  }
}

package io.qmon.metrics.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qmon.metrics.MetricNames;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** StateScores on states whose entropies and Meyer–Wallach values are derived by hand. */
class StateScoresTest {
  private static final double EPS = 1e-12;

  @Test
  void shouldGiveOneBitAndMeyerWallachOneForGhzStates() {
    for (int n = 2; n <= 9; n++) {
      Map<String, Double> s = StateScores.score(States.ghz(n, 0.7), null, List.of());
      assertEquals(1.0, s.get(MetricNames.ENTANGLEMENT_HALF), EPS, "GHZ_" + n + " half");
      assertEquals(1.0, s.get(MetricNames.ENTANGLEMENT_SINGLE_MEAN), EPS, "GHZ_" + n + " single");
      assertEquals(1.0, s.get(MetricNames.MEYER_WALLACH), EPS, "GHZ_" + n + " MW");
      assertFalse(s.containsKey(MetricNames.STATE_FIDELITY), "no target, no fidelity");
    }
  }

  @Test
  void shouldGiveZeroForProductStatesWithPhases() {
    StateVector product =
        States.product(new double[] {0.3, 1.1, 0.7, 2.0, 0.1}, new double[] {0.5, -1, 2, 3, 0});
    Map<String, Double> s = StateScores.score(product, null, List.of(new int[] {1, 3}));
    assertEquals(0.0, s.get(MetricNames.ENTANGLEMENT_HALF), 1e-10);
    assertEquals(0.0, s.get(MetricNames.ENTANGLEMENT_SINGLE_MEAN), 1e-10);
    assertEquals(0.0, s.get(MetricNames.MEYER_WALLACH), 1e-12);
    assertEquals(0.0, s.get("entanglement_entropy_cut_1.3"), 1e-10);
  }

  @Test
  void shouldGiveEightNinthsForTheThreeQubitWState() {
    Map<String, Double> s = StateScores.score(States.w(3), null, null);
    // Each qubit's reduced state is diag(2/3, 1/3): purity 5/9, entropy h2(1/3).
    double h = Math.log(3) / Math.log(2) - 2.0 / 3.0;
    assertEquals(8.0 / 9.0, s.get(MetricNames.MEYER_WALLACH), EPS);
    assertEquals(h, s.get(MetricNames.ENTANGLEMENT_SINGLE_MEAN), EPS);
    assertEquals(h, s.get(MetricNames.ENTANGLEMENT_HALF), EPS, "n = 3: the half cut is {0}");
  }

  @Test
  void shouldFollowTheSchmidtCoefficientsOfAPartiallyEntangledPair() {
    for (double theta : new double[] {0.05, 0.3, Math.PI / 4, 1.2}) {
      double c = Math.cos(theta);
      double sn = Math.sin(theta);
      StateVector s = States.real(2, new int[] {0, 3}, new double[] {c, sn});
      Map<String, Double> scores = StateScores.score(s, null, List.of());
      assertEquals(States.h2(c * c), scores.get(MetricNames.ENTANGLEMENT_HALF), 1e-12);
      // Tr ρ² = c⁴ + s⁴ for each qubit.
      double purity = c * c * c * c + sn * sn * sn * sn;
      assertEquals(2 * (1 - purity), scores.get(MetricNames.MEYER_WALLACH), 1e-12);
    }
  }

  @Test
  void shouldSeparateTwoBellPairsByTheCutThatCrossesThem() {
    // Bell pairs on qubits (0,1) and (2,3): amplitude 1/2 where bit0 == bit1 and bit2 == bit3.
    StateVector pairs = States.real(4, new int[] {0, 3, 12, 15}, new double[] {1, 1, 1, 1});
    Map<String, Double> s =
        StateScores.score(pairs, null, List.of(new int[] {0, 2}, new int[] {3}, new int[] {1, 0}));
    assertEquals(0.0, s.get(MetricNames.ENTANGLEMENT_HALF), EPS, "{0,1} holds both halves");
    assertEquals(2.0, s.get("entanglement_entropy_cut_0.2"), EPS, "{0,2} cuts both pairs");
    assertEquals(1.0, s.get("entanglement_entropy_cut_3"), EPS);
    assertEquals(0.0, s.get("entanglement_entropy_cut_1.0"), EPS);
    assertEquals(1.0, s.get(MetricNames.ENTANGLEMENT_SINGLE_MEAN), EPS);
    assertEquals(1.0, s.get(MetricNames.MEYER_WALLACH), EPS);
  }

  @Test
  void shouldScoreFidelityAgainstTheTarget() {
    // |⟨GHZ_0|GHZ_φ⟩|² = |(1 + e^{iφ})/2|² = cos²(φ/2).
    double phi = 1.3;
    Map<String, Double> s = StateScores.score(States.ghz(5, phi), States.ghz(5, 0), List.of());
    assertEquals(Math.cos(phi / 2) * Math.cos(phi / 2), s.get(MetricNames.STATE_FIDELITY), EPS);
    // ⟨W_3|GHZ_3⟩ = 0 and ⟨0|+⟩ = 1/√2.
    assertEquals(
        0.0,
        StateScores.score(States.w(3), States.ghz(3, 0), null).get(MetricNames.STATE_FIDELITY),
        EPS);
    StateVector plus = States.real(1, new int[] {0, 1}, new double[] {1, 1});
    assertEquals(
        0.5, StateScores.score(plus, States.zero(1), null).get(MetricNames.STATE_FIDELITY), EPS);
  }

  @Test
  void shouldScoreASingleQubitAsUnentangled() {
    StateVector plus = States.real(1, new int[] {0, 1}, new double[] {1, 1});
    Map<String, Double> s = StateScores.score(plus, plus, null);
    assertEquals(0.0, s.get(MetricNames.ENTANGLEMENT_HALF));
    assertEquals(0.0, s.get(MetricNames.ENTANGLEMENT_SINGLE_MEAN), EPS);
    assertEquals(0.0, s.get(MetricNames.MEYER_WALLACH), EPS);
    assertEquals(1.0, s.get(MetricNames.STATE_FIDELITY), EPS);
  }

  @Test
  void shouldListTheMetricsInReportingOrder() {
    Map<String, Double> s =
        StateScores.score(States.ghz(4, 0), States.zero(4), List.of(new int[] {2, 0}));
    assertEquals(
        List.of(
            MetricNames.ENTANGLEMENT_HALF,
            MetricNames.ENTANGLEMENT_SINGLE_MEAN,
            MetricNames.MEYER_WALLACH,
            MetricNames.STATE_FIDELITY,
            "entanglement_entropy_cut_2.0"),
        List.copyOf(s.keySet()));
  }

  @Test
  void shouldRefuseATargetWithAnotherQubitCount() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> StateScores.score(States.ghz(4, 0), States.ghz(3, 0), null));
    assertTrue(e.getMessage().contains("target state has 3 qubits"), e.getMessage());
    assertTrue(e.getMessage().contains("state has 4"), e.getMessage());
  }

  @Test
  void shouldRefuseBadCuts() {
    StateVector ghz = States.ghz(3, 0);
    assertThrows(
        IllegalArgumentException.class,
        () -> StateScores.score(ghz, null, List.of(new int[] {0, 0})));
    IllegalArgumentException outside =
        assertThrows(
            IllegalArgumentException.class,
            () -> StateScores.score(ghz, null, List.of(new int[] {3})));
    assertTrue(outside.getMessage().contains("Qubit 3"), outside.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> StateScores.score(ghz, null, List.of(new int[0])));
  }

  @Test
  void shouldNameCutsByTheirQubitsInTheGivenOrder() {
    assertEquals("entanglement_entropy_cut_0.1.2", MetricNames.entanglementCut(0, 1, 2));
    assertEquals("entanglement_entropy_cut_7", MetricNames.entanglementCut(7));
    assertEquals("entanglement_entropy_cut_10.3", MetricNames.entanglementCut(10, 3));
    assertThrows(IllegalArgumentException.class, () -> MetricNames.entanglementCut());
  }
}

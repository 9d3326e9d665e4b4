package io.qmon.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qmon.metrics.state.Entanglement;
import io.qmon.metrics.state.StateVector;
import io.qmon.metrics.targets.ExplicitTarget;
import io.qmon.metrics.testing.Golden;
import io.qmon.metrics.testing.JsonLine;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every metric against scipy and Qiskit on the golden cases, within 1e-10. */
class GoldenMetricsTest {
  private static final double TOLERANCE = 1e-10;

  @Test
  void shouldMatchScipyAndQiskitOnEveryDistributionCase() {
    List<JsonLine> cases = Golden.cases("distribution");
    assertTrue(cases.size() >= 1000, "golden file holds " + cases.size() + " distribution cases");
    for (JsonLine c : cases) {
      check(c);
    }
  }

  @Test
  void shouldMatchQiskitEntanglementOnEveryStateCase() {
    List<JsonLine> cases = Golden.cases("state");
    assertTrue(cases.size() >= 100, "golden file holds " + cases.size() + " state cases");
    for (JsonLine c : cases) {
      StateVector state = StateVector.of(c.doubles("re"), c.doubles("im"));
      String name = c.string("name");
      assertEquals(
          c.number("entropy"),
          Entanglement.vonNeumannBits(state, c.ints("subsystem")),
          TOLERANCE,
          name + " entropy");
      assertEquals(
          c.number("meyer_wallach"), Entanglement.meyerWallach(state), TOLERANCE, name + " MW");
    }
  }

  private static void check(JsonLine c) {
    String name = c.string("name");
    int n = (int) c.integer("qubits");
    long[] pOut = c.longs("p_outcomes");
    Distribution p = Distribution.of(n, pOut, c.doubles("p_weights"));
    long[] counts = c.longs("q_counts");
    Distribution q = Distribution.fromCounts(n, c.longs("q_outcomes"), counts);
    long shots = Arrays.stream(counts).sum();
    ValueMapping mapping = ValueMapping.linear(n, c.number("low"), c.number("high"));
    Alignment aligned = Alignment.of(ExplicitTarget.of(name, p, mapping), q);
    KlSmoothing additive = KlSmoothing.additive(c.number("epsilon"));
    KlSmoothing laplace = KlSmoothing.laplace(c.number("alpha"));

    assertEquals(c.number("jsd"), Divergences.jensenShannon(p, q), TOLERANCE, name + " jsd");
    assertEquals(
        c.number("jsd"), Divergences.jensenShannon(aligned), TOLERANCE, name + " jsd lazy");
    KlResult kl = KullbackLeibler.divergence(p, q, shots, additive);
    assertEquals(c.number("kl_additive"), kl.bits(), TOLERANCE, name + " kl additive");
    assertEquals(c.number("kl_unsmoothed"), kl.unsmoothedBits(), TOLERANCE, name + " kl raw");
    assertEquals(c.number("unseen_mass"), kl.unseenTargetMass(), TOLERANCE, name + " unseen");
    assertEquals(
        c.number("kl_laplace"),
        KullbackLeibler.divergence(aligned, shots, laplace).bits(),
        TOLERANCE,
        name + " kl laplace");
    assertEquals(c.number("fidelity"), Fidelity.classical(p, q), TOLERANCE, name + " fidelity");
    assertEquals(c.number("fidelity"), Fidelity.classical(aligned), TOLERANCE, name + " F lazy");
    assertEquals(c.number("hellinger"), Divergences.hellinger(p, q), TOLERANCE, name + " H");
    assertEquals(
        c.number("hellinger"), Divergences.hellinger(aligned), TOLERANCE, name + " H lazy");
    assertEquals(c.number("tv"), Divergences.totalVariation(p, q), TOLERANCE, name + " tv");
    assertEquals(c.number("tv"), Divergences.totalVariation(aligned), TOLERANCE, name + " tv lazy");
    assertEquals(c.number("entropy_q"), Entropy.shannonBits(q), TOLERANCE, name + " H(Q)");
    assertEquals(
        c.number("entropy_q_normalised"), Entropy.normalised(q), TOLERANCE, name + " H(Q)/n");
    assertEquals(c.number("ks"), OrderedDistances.kolmogorovSmirnov(p, q), TOLERANCE, name + " ks");
    assertEquals(
        c.number("w1"), OrderedDistances.wasserstein1(p, q, mapping), TOLERANCE, name + " w1");
    CoverageResult coverage =
        ModeCoverage.of(ExplicitTarget.of(name, p), q, c.number("threshold"), c.number("fraction"));
    assertEquals(c.number("coverage"), coverage.coverage(), TOLERANCE, name + " coverage");
    assertEquals(c.integer("modes"), coverage.modes(), name + " modes");
    assertArrayEquals(c.longs("missing_modes"), coverage.missingModes(), name + " missing");
  }
}

package io.qmon.producers.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qmon.metrics.Distribution;
import io.qmon.metrics.Divergences;
import io.qmon.metrics.targets.DiscretisedTarget;
import io.qmon.producers.sim.Ansatze;
import io.qmon.producers.sim.Circuit;
import io.qmon.producers.sim.InitialState;
import io.qmon.producers.sim.QuantumModel;
import java.util.List;
import org.junit.jupiter.api.Test;

class QGanTrainerTest {

  private static QGanTrainer trainer(int qubits, Target target, long seed) {
    QuantumModel model = new QuantumModel(InitialState.uniform(), Ansatze.qganGenerator(qubits, 2));
    return QGanTrainer.builder(model, target).seed(seed).build();
  }

  private static double exactJsd(QGanTrainer t) {
    return Divergences.jensenShannon(
        t.target().distribution(), Distribution.dense(t.target().qubits(), t.exactProbabilities()));
  }

  @Test
  void shouldMoreThanHalveJsdToLogNormalAsInThePaper() {
    // Zoufal et al.: log-normal (μ = 1, σ = 1) on [0, 7] with 3 qubits
    QGanTrainer t = trainer(3, Target.of(DiscretisedTarget.logNormal(3, 1, 1, 0, 7)), 1);
    double before = exactJsd(t);
    for (int e = 0; e < 150; e++) {
      t.nextEpoch();
    }
    double after = exactJsd(t);
    assertTrue(after < before / 2, "JSD " + before + " -> " + after);
  }

  @Test
  void shouldMoreThanHalveJsdToBimodalOnFourQubits() {
    QGanTrainer t = trainer(4, Target.of(DiscretisedTarget.bimodal(4, -1.5, 1.5, 0.6, -3, 3)), 2);
    double before = exactJsd(t);
    for (int e = 0; e < 200; e++) {
      t.nextEpoch();
    }
    double after = exactJsd(t);
    assertTrue(after < before / 2, "JSD " + before + " -> " + after);
  }

  @Test
  void shouldReportBothPlayersLossesAndShots() {
    QGanTrainer t = trainer(3, Target.standardNormal(3), 3);
    EpochResult r = t.nextEpoch();
    assertEquals(1, r.epoch());
    assertEquals(1024, r.shots());
    assertEquals(List.of("d_loss", "g_loss", "jsd"), List.copyOf(r.losses().keySet()));
    // at the start D ≈ ½ everywhere, so both losses are near ln 2
    assertEquals(Math.log(2), r.loss("d_loss"), 0.3);
    assertEquals(Math.log(2), r.loss("g_loss"), 0.3);
  }

  @Test
  void shouldReproduceEpochsWithSameSeed() {
    QGanTrainer a = trainer(3, Target.standardNormal(3), 4);
    QGanTrainer b = trainer(3, Target.standardNormal(3), 4);
    for (int e = 0; e < 5; e++) {
      EpochResult ra = a.nextEpoch();
      EpochResult rb = b.nextEpoch();
      assertArrayEquals(ra.counts(), rb.counts());
      assertArrayEquals(ra.parameters(), rb.parameters(), 0.0);
      assertEquals(ra.losses(), rb.losses());
    }
  }

  @Test
  void shouldRejectParameterisedGatesWithoutTwoTermShiftRule() {
    Circuit cry = Circuit.builder(2).h(0).cryParam(0, 1, 0).build();
    QuantumModel model = new QuantumModel(InitialState.zero(), cry);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> QGanTrainer.builder(model, Target.standardNormal(2)));
    assertTrue(e.getMessage().contains("CRY"));
  }
}

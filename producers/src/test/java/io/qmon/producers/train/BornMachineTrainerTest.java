package io.qmon.producers.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qmon.metrics.Distribution;
import io.qmon.metrics.Divergences;
import io.qmon.producers.sim.Ansatze;
import io.qmon.producers.sim.Entanglement;
import io.qmon.producers.sim.InitialState;
import io.qmon.producers.sim.QuantumModel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BornMachineTrainerTest {

  private static BornMachineTrainer trainer(int qubits, Loss loss, long seed) {
    QuantumModel model =
        new QuantumModel(
            InitialState.zero(), Ansatze.realAmplitudes(qubits, 2, Entanglement.LINEAR));
    return BornMachineTrainer.builder(model, Target.standardNormal(qubits))
        .loss(loss)
        .shots(1024)
        .seed(seed)
        .build();
  }

  private static double exactJsd(BornMachineTrainer t) {
    return Divergences.jensenShannon(
        t.target().distribution(), Distribution.dense(t.target().qubits(), t.exactProbabilities()));
  }

  @Test
  void shouldMoreThanHalveJsdOnThreeQubits() {
    BornMachineTrainer t = trainer(3, Loss.JSD, 1);
    double before = exactJsd(t);
    for (int e = 0; e < 150; e++) {
      t.nextEpoch();
    }
    double after = exactJsd(t);
    assertTrue(after < before / 2, "JSD " + before + " -> " + after);
  }

  @Test
  void shouldMoreThanHalveJsdWhenMinimisingKlOnFourQubits() {
    BornMachineTrainer t = trainer(4, Loss.KL, 2);
    double before = exactJsd(t);
    for (int e = 0; e < 200; e++) {
      t.nextEpoch();
    }
    double after = exactJsd(t);
    assertTrue(after < before / 2, "JSD " + before + " -> " + after);
  }

  @Test
  void shouldMoreThanHalveJsdWhenMinimisingMmd() {
    BornMachineTrainer t = trainer(3, Loss.MMD, 3);
    double before = exactJsd(t);
    for (int e = 0; e < 150; e++) {
      t.nextEpoch();
    }
    double after = exactJsd(t);
    assertTrue(after < before / 2, "JSD " + before + " -> " + after);
  }

  @Test
  void shouldReproduceEpochsWithSameSeed() {
    BornMachineTrainer a = trainer(3, Loss.JSD, 5);
    BornMachineTrainer b = trainer(3, Loss.JSD, 5);
    for (int e = 0; e < 5; e++) {
      EpochResult ra = a.nextEpoch();
      EpochResult rb = b.nextEpoch();
      assertArrayEquals(ra.outcomes(), rb.outcomes());
      assertArrayEquals(ra.counts(), rb.counts());
      assertArrayEquals(ra.parameters(), rb.parameters(), 0.0);
      assertEquals(ra.losses(), rb.losses());
    }
  }

  @Test
  void shouldReportEachEpochToListener() throws InterruptedException {
    BornMachineTrainer t = trainer(3, Loss.JSD, 6);
    List<EpochResult> seen = new ArrayList<>();
    t.run(4, seen::add);
    assertEquals(4, seen.size());
    EpochResult last = seen.get(3);
    assertEquals(4, last.epoch());
    assertEquals(3, last.qubits());
    assertEquals(1024, last.shots());
    assertEquals(1024, java.util.Arrays.stream(last.counts()).sum());
    assertEquals(9, last.parameters().length);
    assertTrue(last.losses().keySet().containsAll(List.of("jsd", "spsa_plus", "spsa_minus")));
  }

  @Test
  void shouldStopBetweenEpochsWhenInterrupted() {
    BornMachineTrainer t = trainer(3, Loss.JSD, 7);
    List<EpochResult> seen = new ArrayList<>();
    assertThrows(
        InterruptedException.class,
        () ->
            t.run(
                10,
                r -> {
                  seen.add(r);
                  if (r.epoch() == 2) {
                    Thread.currentThread().interrupt();
                  }
                }));
    assertEquals(2, seen.size());
    assertEquals(2, t.epoch());
  }

  @Test
  void shouldRejectMismatchedTargetAndBadSettings() {
    QuantumModel model =
        new QuantumModel(InitialState.zero(), Ansatze.realAmplitudes(3, 1, Entanglement.LINEAR));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> BornMachineTrainer.builder(model, Target.standardNormal(4)));
    assertTrue(e.getMessage().contains("qubits"));
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> BornMachineTrainer.builder(model, Target.standardNormal(3)).shots(0));
    assertTrue(e.getMessage().contains("shots"));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            BornMachineTrainer.builder(model, Target.standardNormal(3))
                .initialParameters(new double[2])
                .build());
  }
}

package io.qmon.producers.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qmon.producers.sim.Entanglement;
import io.qmon.producers.train.BornMachineTrainer;
import io.qmon.producers.train.EpochResult;
import io.qmon.producers.train.Loss;
import io.qmon.producers.train.QGanTrainer;
import io.qmon.producers.train.Trainer;
import io.qmon.schemas.RunStarted;
import org.junit.jupiter.api.Test;

class SimulatedRunTest {

  @Test
  void shouldTrainAQganWhoseJsdFallsAndAnnounceItAsSuch() {
    ModelSpec qgan =
        new ModelSpec(
            ModelKind.QGAN,
            AnsatzKind.QGAN_GENERATOR,
            2,
            Entanglement.LINEAR,
            InitKind.NORMAL,
            TargetKind.LOG_NORMAL,
            Loss.JSD,
            0.05);
    SimulatedRun run =
        new SimulatedRun(new SimulatedRunSpec("r", "e", 3, qgan, 4096, 150, 7, 0, "cfg", 1));
    RunStarted started = run.startEvent();
    assertEquals("qgan", started.getModelType());
    assertEquals("adam", started.getOptimizer());
    assertEquals("qgan_generator/linear", started.getAnsatz());
    assertEquals("lognormal-1-1-q3", started.getTargetId());
    assertEquals("cfg", started.getConfigId());
    assertEquals(1, started.getRepeatIndex());
    assertEquals("0.05", started.getOptimizerSettings().get("learning_rate"));

    Trainer trainer = run.trainer();
    assertInstanceOf(QGanTrainer.class, trainer);
    double first = 0;
    double last = 0;
    for (int e = 1; e <= 150; e++) {
      EpochResult epoch = trainer.nextEpoch();
      if (e <= 10) {
        first += epoch.loss("jsd") / 10;
      }
      if (e > 140) {
        last += epoch.loss("jsd") / 10;
      }
    }
    assertTrue(last < first, "jsd must fall: first 10 epochs " + first + ", last 10 " + last);
  }

  @Test
  void shouldKeepTheDemoDefaultsForTheShortConstructor() {
    SimulatedRunSpec spec =
        new SimulatedRunSpec("r", "e", 4, 2, Entanglement.FULL, Loss.KL, 100, 3, 1, 0);
    SimulatedRun run = new SimulatedRun(spec);
    assertInstanceOf(BornMachineTrainer.class, run.trainer());
    RunStarted started = run.startEvent();
    assertEquals("born_machine", started.getModelType());
    assertEquals("real_amplitudes/full", started.getAnsatz());
    assertEquals("normal-0-1-q4", started.getTargetId());
    assertEquals("kl", started.getParams().get("loss"));
    assertEquals(null, started.getConfigId());
    assertEquals(0, started.getRepeatIndex());
  }
}

package io.qmon.producers.worker;

import io.qmon.producers.sim.Entanglement;
import io.qmon.producers.train.Loss;

/**
 * What a simulated run trains: the model, its circuit, start state, target and optimiser step.
 *
 * @param loss the Born machine's training loss (a qGAN trains on its adversarial losses)
 * @param learningRate SPSA's a for a Born machine (NaN: calibrated on the first epoch), Adam's
 *     learning rate of both players for a qGAN (NaN: 0.01)
 */
public record ModelSpec(
    ModelKind model,
    AnsatzKind ansatz,
    int repetitions,
    Entanglement entanglement,
    InitKind initialisation,
    TargetKind target,
    Loss loss,
    double learningRate) {

  public ModelSpec {
    if (model == null || ansatz == null || entanglement == null) {
      throw new IllegalArgumentException("model, ansatz and entanglement must be set");
    }
    if (initialisation == null || target == null || loss == null) {
      throw new IllegalArgumentException("initialisation, target and loss must be set");
    }
    if (repetitions < 0) {
      throw new IllegalArgumentException("repetitions must be >= 0, got " + repetitions);
    }
    if (!Double.isNaN(learningRate) && !(learningRate > 0 && learningRate < 100)) {
      throw new IllegalArgumentException("learningRate must be in (0, 100), got " + learningRate);
    }
  }

  /** A Born machine on RealAmplitudes from the uniform state against the standard normal. */
  public static ModelSpec bornMachine(int repetitions, Entanglement entanglement, Loss loss) {
    return new ModelSpec(
        ModelKind.BORN_MACHINE,
        AnsatzKind.REAL_AMPLITUDES,
        repetitions,
        entanglement,
        InitKind.UNIFORM,
        TargetKind.NORMAL,
        loss,
        Double.NaN);
  }
}

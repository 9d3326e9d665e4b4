package io.qmon.bench.eval;

import io.qmon.producers.worker.ModelKind;

/**
 * One labelled stream: which model trains, on how many qubits and shots, with which learning rate,
 * seed and hardware noise, and which fault starts at which epoch.
 *
 * @param learningRate SPSA's a for a Born machine (NaN: calibrated), Adam's rate for a qGAN
 * @param depolarising constant hardware noise λ of a noisy run (0: noiseless)
 * @param readoutFlip constant per-qubit readout flip probability of a noisy run
 * @param faultEpoch first faulty epoch (1 for a fault from the start; ignored when healthy)
 * @param strength the fault's size where it has one: noise drift's final λ
 */
public record StreamCase(
    int index,
    ModelKind model,
    int qubits,
    int shots,
    double learningRate,
    long seed,
    double depolarising,
    double readoutFlip,
    int epochs,
    Fault fault,
    int faultEpoch,
    double strength) {

  /** The fault label the tables group by: noise drift is split by strength. */
  public String group() {
    if (fault == Fault.NOISE_DRIFT) {
      return fault.label() + " λ=" + strength;
    }
    return fault.label();
  }

  public String runId() {
    return "eval-" + index + "-" + group().replace(' ', '-');
  }

  public boolean healthy() {
    return fault == Fault.NONE;
  }
}

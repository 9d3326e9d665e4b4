package io.qmon.producers.sweep;

import io.qmon.producers.worker.AnsatzKind;
import io.qmon.producers.worker.InitKind;
import io.qmon.producers.worker.ModelKind;
import io.qmon.producers.worker.TargetKind;
import java.math.BigDecimal;

/** One combination of a sweep's axes; repeated {@code repeats} times as separate runs. */
public record SweepPoint(
    AnsatzKind ansatz, int repetitions, InitKind initialisation, int qubits, double learningRate) {

  /**
   * The configuration id: the same combination always gets the same id, readable and safe in run
   * ids and record keys, e.g. {@code born_machine-normal-real_amplitudes-r2-uniform-q4-lr0.1}.
   */
  public String configId(ModelKind model, TargetKind target) {
    return model.key()
        + "-"
        + target.key()
        + "-"
        + ansatz.key()
        + "-r"
        + repetitions
        + "-"
        + initialisation.key()
        + "-q"
        + qubits
        + "-lr"
        + (Double.isNaN(learningRate)
            ? "auto"
            : new BigDecimal(Double.toString(learningRate)).stripTrailingZeros().toPlainString());
  }
}

package io.qmon.metrics.state;

import io.qmon.metrics.MetricNames;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every STATE metric of one pure-state snapshot, by {@link MetricNames}: the one call the streaming
 * job makes per (run, epoch) snapshot.
 *
 * <ul>
 *   <li>{@link MetricNames#ENTANGLEMENT_HALF}: von Neumann entropy, in bits, of the cut
 *       {0..⌊n/2⌋−1} | rest (0 for one qubit);
 *   <li>{@link MetricNames#ENTANGLEMENT_SINGLE_MEAN}: mean entropy of the n single-qubit cuts;
 *   <li>{@link MetricNames#MEYER_WALLACH}: Q = 2(1 − mean single-qubit purity);
 *   <li>{@link MetricNames#STATE_FIDELITY}: |⟨target|ψ⟩|², only when a target is given;
 *   <li>{@link MetricNames#entanglementCut(int...)} for each extra cut: the entropy of that
 *       subsystem.
 * </ul>
 *
 * Pure and stateless: no framework import, safe to call from any thread.
 */
public final class StateScores {
  private StateScores() {}

  /**
   * The scores of {@code state}, in the order listed above.
   *
   * @param targetOrNull the run's target state, or null when it declares none
   * @param extraCuts further subsystems (qubit indices) whose entropy is reported; null or empty
   *     for none
   * @throws IllegalArgumentException when the target's qubit count differs from the state's, or a
   *     cut is empty, repeats a qubit or names one outside the state
   */
  public static Map<String, Double> score(
      StateVector state, StateVector targetOrNull, List<int[]> extraCuts) {
    if (state == null) {
      throw new IllegalArgumentException("state is null");
    }
    int n = state.qubits();
    Map<String, Double> out = new LinkedHashMap<>();
    int[] half = new int[n / 2];
    for (int k = 0; k < half.length; k++) {
      half[k] = k;
    }
    out.put(MetricNames.ENTANGLEMENT_HALF, Entanglement.vonNeumannBits(state, half));
    double singleSum = 0;
    for (int k = 0; k < n; k++) {
      singleSum += Entanglement.vonNeumannBits(state, k);
    }
    out.put(MetricNames.ENTANGLEMENT_SINGLE_MEAN, singleSum / n);
    out.put(MetricNames.MEYER_WALLACH, Entanglement.meyerWallach(state));
    if (targetOrNull != null) {
      out.put(MetricNames.STATE_FIDELITY, StateFidelity.of(targetOrNull, state));
    }
    if (extraCuts != null) {
      for (int[] cut : extraCuts) {
        String name = MetricNames.entanglementCut(cut);
        out.put(name, Entanglement.vonNeumannBits(state, cut));
      }
    }
    return out;
  }
}

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
 * Pure and stateless: no framework import, safe to call from any thread. Cost, d = 2^⌊n/2⌋: the
 * half cut O(2^n·d + d³) (see {@link Entanglement}), the single-qubit cuts and Meyer–Wallach one
 * shared O(n·2^n) pass, the fidelity O(2^n), each extra cut as {@link Entanglement#vonNeumannBits}.
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
    Map<String, Double> out = new LinkedHashMap<>();
    out.put(MetricNames.ENTANGLEMENT_HALF, Entanglement.halfCutBits(state));
    SingleQubitStates singles = Entanglement.singleQubitStates(state);
    out.put(MetricNames.ENTANGLEMENT_SINGLE_MEAN, singles.meanEntropyBits());
    out.put(MetricNames.MEYER_WALLACH, singles.meyerWallach());
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

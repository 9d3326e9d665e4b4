package io.qmon.metrics;

import java.util.List;

/** Names of the metrics in a {@link MetricSet}, as they appear in records, gauges and alerts. */
public final class MetricNames {
  public static final String JSD = "jsd";
  public static final String KL = "kl";
  public static final String FIDELITY = "fidelity";
  public static final String INFIDELITY = "infidelity";
  public static final String HELLINGER = "hellinger";
  public static final String TV = "tv";
  public static final String ENTROPY_BITS = "entropy_bits";
  public static final String ENTROPY_NORMALISED = "entropy_normalised";
  public static final String COVERAGE = "coverage";
  public static final String KS = "ks";
  public static final String W1 = "w1";

  /**
   * Prefix of the producer's own scalars in EPOCH records: each entry of an event's {@code losses}
   * map is reported as {@code loss.<name>}.
   */
  public static final String LOSS_PREFIX = "loss.";

  /**
   * EPOCH records: how far the epoch's generated counts lie from the pooled counts of the run's
   * previous epochs, as the normal score of their G-test of homogeneity (about N(0, 1) when the
   * generator did not change; see {@code io.qmon.metrics.shift.RecentCounts}). Absent for the first
   * epoch, for runs with too many distinct outcomes and for per-circuit records.
   */
  public static final String WINDOW_SHIFT = "window_shift";

  /**
   * EPOCH records: the score test of the epoch's counts being the run's recent pooled counts mixed
   * towards uniform (positive: towards uniform, as depolarising or readout noise does), in standard
   * deviations of shot noise; absent where {@link #WINDOW_SHIFT} is.
   */
  public static final String WINDOW_SHIFT_UNIFORM = "window_shift_uniform";

  /**
   * EPOCH records: the share, in [0, 1], of the epoch's departure from the run's recent pooled
   * counts beyond shot noise that {@link #WINDOW_SHIFT_UNIFORM} explains (near 1 when the output is
   * mixed towards uniform, small when training moved it in many directions at once); absent where
   * {@link #WINDOW_SHIFT_UNIFORM} is.
   */
  public static final String WINDOW_SHIFT_UNIFORM_SHARE = "window_shift_uniform_share";

  /**
   * EPOCH records: the score test of the epoch's counts being the run's recent pooled counts mixed
   * towards the run's target (positive: towards the target, as training moves it), in standard
   * deviations of shot noise; absent where {@link #WINDOW_SHIFT_UNIFORM} is.
   */
  public static final String WINDOW_SHIFT_TARGET = "window_shift_target";

  /**
   * STATE records: von Neumann entropy, in bits, of the half cut (qubits 0..⌊n/2⌋−1 | the rest).
   */
  public static final String ENTANGLEMENT_HALF = "entanglement_entropy_half";

  /** STATE records: mean von Neumann entropy, in bits, over the n single-qubit cuts. */
  public static final String ENTANGLEMENT_SINGLE_MEAN = "entanglement_entropy_single_mean";

  /** STATE records: Meyer–Wallach global entanglement Q in [0, 1]. */
  public static final String MEYER_WALLACH = "meyer_wallach";

  /** STATE records: |⟨ψ_target|ψ⟩|² when the run's target carries a target state. */
  public static final String STATE_FIDELITY = "state_fidelity";

  /**
   * Prefix of STATE records' configured bipartitions: the von Neumann entropy, in bits, of the cut
   * whose subsystem is the listed qubits, named by {@link #entanglementCut(int...)}.
   */
  public static final String ENTANGLEMENT_CUT_PREFIX = "entanglement_entropy_cut_";

  /** Every name, in reporting order. */
  public static final List<String> ALL =
      List.of(
          JSD,
          KL,
          FIDELITY,
          INFIDELITY,
          HELLINGER,
          TV,
          ENTROPY_BITS,
          ENTROPY_NORMALISED,
          COVERAGE,
          KS,
          W1);

  /** The divergences that carry a shot-noise floor. */
  public static final List<String> WITH_FLOOR = List.of(JSD, KL, TV, HELLINGER, INFIDELITY);

  private MetricNames() {}

  /**
   * The name of a configured cut's entropy: {@link #ENTANGLEMENT_CUT_PREFIX} followed by the qubit
   * indices in the given order joined by '.', e.g. {@code entanglement_entropy_cut_0.2.3}.
   *
   * @throws IllegalArgumentException when {@code qubits} is null or empty
   */
  public static String entanglementCut(int... qubits) {
    if (qubits == null || qubits.length == 0) {
      throw new IllegalArgumentException("cut: at least one qubit index is needed");
    }
    StringBuilder name = new StringBuilder(ENTANGLEMENT_CUT_PREFIX);
    for (int i = 0; i < qubits.length; i++) {
      if (i > 0) {
        name.append('.');
      }
      name.append(qubits[i]);
    }
    return name.toString();
  }
}

package io.qmon.jobs.score;

import io.qmon.metrics.state.StateScores;
import io.qmon.metrics.state.StateVector;
import io.qmon.schemas.MetricRecord;
import io.qmon.schemas.MetricScope;
import io.qmon.schemas.StateSnapshot;
import io.qmon.schemas.TargetDistribution;
import io.qmon.schemas.validation.ErrorType;
import io.qmon.schemas.validation.Rejection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a state snapshot against its run and turns it into a {@code STATE} metric record with
 * {@link StateScores}: entanglement entropy of the half cut and the mean over single-qubit cuts,
 * Meyer–Wallach Q, and the fidelity to the run's target state when its target declares one. No
 * Flink here.
 *
 * <p>Cost per snapshot, n qubits, d = 2^⌊n/2⌋: O(2^n·d + d³) for the half cut and O(n·2^n) for the
 * rest; {@code maxQubits} (job.max-state-qubits, 16 by default) bounds it.
 */
public final class StateScorer {
  /** A checked snapshot: the state, or why it was refused. */
  public record Checked(StateVector state, Rejection rejection) {}

  private final int maxQubits;

  /** The configured cuts that fit an n-qubit snapshot, by n (a run's snapshots share one n). */
  private final List<List<int[]>> cutsByQubits;

  private final Map<String, CachedState> targetStates = new HashMap<>();

  /** A target's state, built once per target version; {@code state} null when it has none. */
  private record CachedState(Instant version, StateVector state) {}

  /**
   * @param maxQubits the most qubits a snapshot may have, at most {@value StateVector#MAX_QUBITS}
   * @param cuts extra bipartitions (distinct qubit indices each) whose entropy is reported; a cut
   *     naming a qubit a snapshot does not have, or all of its qubits, is skipped for it
   */
  public StateScorer(int maxQubits, List<int[]> cuts) {
    if (maxQubits < 1 || maxQubits > StateVector.MAX_QUBITS) {
      throw new IllegalArgumentException(
          "maxQubits must be in [1, " + StateVector.MAX_QUBITS + "], got " + maxQubits);
    }
    this.maxQubits = maxQubits;
    List<List<int[]>> byQubits = new ArrayList<>(maxQubits + 1);
    for (int n = 0; n <= maxQubits; n++) {
      List<int[]> fitting = new ArrayList<>();
      for (int[] cut : cuts) {
        if (fits(cut, n)) {
          fitting.add(cut.clone());
        }
      }
      byQubits.add(List.copyOf(fitting));
    }
    this.cutsByQubits = byQubits;
  }

  /**
   * Checks the snapshot: qubits within the bound ({@code INVALID_STATE}) and equal to the run's
   * ({@code QUBITS_MISMATCH}), both amplitude arrays of length 2^qubits, every amplitude finite and
   * the norm within {@value StateVector#NORM_TOLERANCE} of 1 ({@code INVALID_STATE}).
   */
  public Checked check(StateSnapshot snapshot, int runQubits) {
    int n = snapshot.getQubits();
    if (n < 1 || n > maxQubits) {
      return refused(
          ErrorType.INVALID_STATE,
          "qubits",
          "qubits " + n + " is outside [1, " + maxQubits + "] (job.max-state-qubits)");
    }
    if (n != runQubits) {
      return refused(
          ErrorType.QUBITS_MISMATCH,
          "qubits",
          "qubits " + n + " does not match the run's " + runQubits + " qubits");
    }
    int dimension = 1 << n;
    if (snapshot.getAmplitudesRe().size() != dimension) {
      return wrongLength("amplitudes_re", snapshot.getAmplitudesRe().size(), n, dimension);
    }
    if (snapshot.getAmplitudesIm().size() != dimension) {
      return wrongLength("amplitudes_im", snapshot.getAmplitudesIm().size(), n, dimension);
    }
    try {
      return new Checked(
          StateVector.of(toArray(snapshot.getAmplitudesRe()), toArray(snapshot.getAmplitudesIm())),
          null);
    } catch (IllegalArgumentException e) {
      return refused(ErrorType.INVALID_STATE, "amplitudes", "amplitudes: " + e.getMessage());
    }
  }

  /**
   * The STATE record ({@code <run>/state/<epoch>}) of a checked snapshot.
   *
   * @param target the run's target; its optional state gives the fidelity
   * @throws IllegalArgumentException when the target's state is malformed or over another qubit
   *     count (the caller dead-letters the snapshot with the message)
   */
  public MetricRecord score(
      StateSnapshot snapshot,
      StateVector state,
      TargetDistribution target,
      String experiment,
      String configId,
      long processedMillis) {
    Map<String, Double> metrics =
        StateScores.score(state, targetState(target), cutsByQubits.get(state.qubits()));
    return new MetricRecord(
        snapshot.getRunId() + "/state/" + snapshot.getEpoch(),
        snapshot.getRunId(),
        MetricScope.STATE,
        snapshot.getEpoch(),
        snapshot.getEpoch(),
        snapshot.getEventTime(),
        Instant.ofEpochMilli(processedMillis),
        target.getTargetId(),
        snapshot.getQubits(),
        0L,
        metrics,
        Map.of(),
        experiment,
        configId,
        Map.of(),
        Map.of(),
        null,
        null,
        null,
        Map.of());
  }

  /** A proper, non-empty subsystem of an n-qubit state. */
  private static boolean fits(int[] cut, int n) {
    if (cut.length == 0 || cut.length >= n) {
      return false;
    }
    for (int q : cut) {
      if (q < 0 || q >= n) {
        return false;
      }
    }
    return true;
  }

  private StateVector targetState(TargetDistribution target) {
    CachedState cached = targetStates.get(target.getTargetId());
    if (cached == null || !cached.version().equals(target.getUpdatedTime())) {
      cached = new CachedState(target.getUpdatedTime(), buildTargetState(target));
      targetStates.put(target.getTargetId(), cached);
    }
    return cached.state();
  }

  private static StateVector buildTargetState(TargetDistribution target) {
    List<Double> re = target.getAmplitudesRe();
    if (re == null) {
      return null;
    }
    List<Double> im = target.getAmplitudesIm();
    double[] imaginary = im == null ? new double[re.size()] : toArray(im);
    try {
      return StateVector.of(toArray(re), imaginary);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "target " + target.getTargetId() + " state: " + e.getMessage(), e);
    }
  }

  private static Checked wrongLength(String field, int length, int qubits, int dimension) {
    return refused(
        ErrorType.INVALID_STATE,
        field,
        field
            + " has "
            + length
            + " amplitudes; a "
            + qubits
            + "-qubit state has 2^"
            + qubits
            + " = "
            + dimension);
  }

  private static Checked refused(ErrorType errorType, String field, String reason) {
    return new Checked(null, new Rejection(errorType, field, reason));
  }

  private static double[] toArray(List<Double> values) {
    double[] out = new double[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }
}

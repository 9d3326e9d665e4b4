package io.qmon.sink.mlflow;

import io.qmon.metrics.ValueMapping;
import io.qmon.schemas.Histogram;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * What a target-vs-generated chart shows of a {@link Histogram}: at most {@code maxBars} bars. With
 * more outcomes than that, the {@code maxBars - 1} most probable ones (by the larger of target and
 * generated probability) are kept in outcome order and the rest are summed into one {@value #OTHER}
 * bar, so the labels stay readable at any qubit count. Labels are bitstrings of the run's qubit
 * count, or the real values a discretised target maps outcomes to ({@link ValueMapping}) when the
 * histogram carries its domain.
 *
 * @param labels one per bar
 * @param target target probability per bar
 * @param generated generated relative frequency per bar (counts / shots)
 * @param otherOutcomes how many outcomes the {@value #OTHER} bar sums (0 when there is none)
 */
record DistributionView(
    List<String> labels, List<Double> target, List<Double> generated, int otherOutcomes) {
  static final String OTHER = "other";

  /** Bars of the histogram of a run of {@code qubits} qubits. */
  static DistributionView of(Histogram histogram, int qubits, int maxBars) {
    if (maxBars < 2) {
      throw new IllegalArgumentException("maxBars must be at least 2, was " + maxBars);
    }
    int size = histogram.getOutcomes().size();
    double shots = histogram.getShots();
    double[] p = new double[size];
    double[] q = new double[size];
    for (int i = 0; i < size; i++) {
      p[i] = histogram.getTarget().get(i);
      q[i] = shots > 0 ? histogram.getCounts().get(i) / shots : 0.0;
    }
    List<Integer> shown = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      shown.add(i);
    }
    if (size > maxBars) {
      shown.sort(
          Comparator.comparingDouble((Integer i) -> -Math.max(p[i], q[i]))
              .thenComparing(i -> histogram.getOutcomes().get(i)));
      shown = new ArrayList<>(shown.subList(0, maxBars - 1));
      shown.sort(Comparator.comparing(i -> histogram.getOutcomes().get(i)));
    }
    OutcomeLabels names = OutcomeLabels.of(histogram, qubits);
    List<String> labels = new ArrayList<>();
    List<Double> target = new ArrayList<>();
    List<Double> generated = new ArrayList<>();
    boolean[] kept = new boolean[size];
    for (int i : shown) {
      kept[i] = true;
      labels.add(names.label(histogram.getOutcomes().get(i)));
      target.add(p[i]);
      generated.add(q[i]);
    }
    int other = size - shown.size();
    if (other > 0) {
      double otherTarget = 0;
      double otherGenerated = 0;
      for (int i = 0; i < size; i++) {
        if (!kept[i]) {
          otherTarget += p[i];
          otherGenerated += q[i];
        }
      }
      labels.add(OTHER + " (" + other + ")");
      target.add(otherTarget);
      generated.add(otherGenerated);
    }
    return new DistributionView(
        List.copyOf(labels), List.copyOf(target), List.copyOf(generated), other);
  }

  /** How outcomes are named: bitstrings, or mapped values of a discretised real target. */
  static final class OutcomeLabels {
    private final int qubits;
    private final ValueMapping mapping;

    private OutcomeLabels(int qubits, ValueMapping mapping) {
      this.qubits = qubits;
      this.mapping = mapping;
    }

    static OutcomeLabels of(Histogram histogram, int qubits) {
      boolean mapped =
          histogram.getLow() != null
              && histogram.getHigh() != null
              && histogram.getHigh() > histogram.getLow()
              && qubits >= 1
              && qubits <= 62;
      return new OutcomeLabels(
          qubits,
          mapped ? ValueMapping.linear(qubits, histogram.getLow(), histogram.getHigh()) : null);
    }

    /** Whether labels are mapped values rather than bitstrings. */
    boolean mapped() {
      return mapping != null;
    }

    String label(long outcome) {
      if (mapping != null) {
        return String.format(Locale.ROOT, "%.4g", mapping.valueOf(outcome));
      }
      String bits = Long.toBinaryString(outcome);
      if (qubits > bits.length() && qubits <= 64) {
        bits = "0".repeat(qubits - bits.length()) + bits;
      }
      return bits;
    }
  }
}

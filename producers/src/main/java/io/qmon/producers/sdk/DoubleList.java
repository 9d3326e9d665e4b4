package io.qmon.producers.sdk;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/** A read-only {@code List<Double>} over a copy of a {@code double[]}, for the Avro writer. */
final class DoubleList extends AbstractList<Double> implements RandomAccess {
  private final double[] values;

  private DoubleList(double[] values) {
    this.values = values;
  }

  static List<Double> of(double[] values) {
    return new DoubleList(values.clone());
  }

  @Override
  public Double get(int index) {
    return values[index];
  }

  @Override
  public int size() {
    return values.length;
  }
}

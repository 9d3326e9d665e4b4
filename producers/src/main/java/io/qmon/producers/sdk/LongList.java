package io.qmon.producers.sdk;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * A read-only {@code List<Long>} over a copy of a {@code long[]}: the Avro writer iterates it, so
 * an epoch's counts are not boxed into a fresh ArrayList first.
 */
final class LongList extends AbstractList<Long> implements RandomAccess {
  private final long[] values;

  private LongList(long[] values) {
    this.values = values;
  }

  static List<Long> of(long[] values) {
    return new LongList(values.clone());
  }

  @Override
  public Long get(int index) {
    return values[index];
  }

  @Override
  public int size() {
    return values.length;
  }
}

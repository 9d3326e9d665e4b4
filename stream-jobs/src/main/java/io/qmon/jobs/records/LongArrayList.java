package io.qmon.jobs.records;

import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * A read-only {@code List<Long>} over a {@code long[]}: what the job's serializer gives shot events
 * for their outcomes and counts, so scoring can take the array back without unboxing, while Avro
 * and everything else still see an ordinary list.
 */
public final class LongArrayList extends AbstractList<Long> implements RandomAccess {
  private final long[] values;

  public LongArrayList(long[] values) {
    this.values = values;
  }

  /** The backing array, not a copy: do not change it. */
  public long[] array() {
    return values;
  }

  @Override
  public Long get(int index) {
    return values[index];
  }

  @Override
  public int size() {
    return values.length;
  }

  /** The values of any list of longs as an array: the backing array when there is one. */
  public static long[] toArray(java.util.List<Long> values) {
    if (values instanceof LongArrayList list) {
      return list.values;
    }
    long[] out = new long[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }
}

package io.qmon.schemas;

import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * A read-only {@code List<Long>} over a {@code long[]}, for the {@code array<long>} fields of the
 * events (outcomes, counts): publishers hand Avro their arrays without boxing them into a fresh
 * list, and the job's serializer gives scoring the array back without unboxing, while Avro and
 * everything else still see an ordinary list.
 */
public final class LongArrayList extends AbstractList<Long> implements RandomAccess {
  private final long[] values;

  private LongArrayList(long[] values) {
    this.values = values;
  }

  /** A list over the array itself: the caller must not change it afterwards. */
  public static LongArrayList wrap(long[] values) {
    return new LongArrayList(values);
  }

  /** A list over a copy of the array. */
  public static LongArrayList copyOf(long[] values) {
    return new LongArrayList(values.clone());
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

package io.qmon.sink;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The sinks' bounded memories of runs (pages, last epochs, rejected or closed runs): a long-lived
 * sink sees an unbounded number of runs, so what it remembers about them forgets the oldest first.
 * Not thread-safe, as {@link LinkedHashMap}.
 */
public final class Bounded {
  private Bounded() {}

  /** A map of at most {@code max} entries that forgets the least recently read or written. */
  public static <K, V> Map<K, V> leastRecentlyUsedMap(int max) {
    return map(max, true);
  }

  /** A set of at most {@code max} elements that forgets the earliest added. */
  public static <E> Set<E> oldestFirstSet(int max) {
    return Collections.newSetFromMap(map(max, false));
  }

  private static <K, V> Map<K, V> map(int max, boolean accessOrder) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1, was " + max);
    }
    return new LinkedHashMap<>(16, 0.75f, accessOrder) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > max;
      }
    };
  }
}

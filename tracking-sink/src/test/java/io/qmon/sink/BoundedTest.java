package io.qmon.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BoundedTest {
  @Test
  void shouldForgetTheLeastRecentlyUsedEntryWhenFull() {
    Map<String, Integer> map = Bounded.leastRecentlyUsedMap(2);
    map.put("a", 1);
    map.put("b", 2);
    map.get("a");
    map.put("c", 3);

    assertEquals(List.of("a", "c"), List.copyOf(map.keySet()), "b was used least recently");
  }

  @Test
  void shouldForgetTheEarliestAddedElementWhenFullWhateverWasReadSince() {
    Set<String> set = Bounded.oldestFirstSet(2);
    set.add("a");
    set.add("b");
    set.contains("a");
    set.add("c");

    assertEquals(List.of("b", "c"), List.copyOf(set));
  }

  @Test
  void shouldRefuseABoundBelowOne() {
    assertThrows(IllegalArgumentException.class, () -> Bounded.leastRecentlyUsedMap(0));
  }
}

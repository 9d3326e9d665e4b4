package io.qmon.jobs.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClosedRunsTest {
  @Test
  void shouldForgetTheOldestClosedRunBeyondItsCapacity() {
    ClosedRuns closed = new ClosedRuns(2);
    closed.remember("a", 1);
    closed.remember("b", 2);
    closed.remember("c", 3);
    assertNull(closed.closedAt("a"));
    assertEquals(2L, closed.closedAt("b"));
    assertEquals(3L, closed.closedAt("c"));
    List<String> order = new ArrayList<>();
    closed.forEach((run, at) -> order.add(run + "@" + at));
    assertEquals(List.of("b@2", "c@3"), order);
  }
}

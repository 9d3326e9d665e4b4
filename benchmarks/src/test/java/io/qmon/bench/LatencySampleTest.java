package io.qmon.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class LatencySampleTest {
  @Test
  void shouldReportNearestRankPercentiles() {
    LatencySample sample = new LatencySample();
    for (long ms = 100; ms >= 1; ms--) {
      sample.add(ms);
    }
    for (int i = 0; i < 2000; i++) {
      sample.add(50);
    }

    LatencySample.Summary summary = sample.summary();

    // Sorted: 1..49, then 2001 × 50 (ranks 50..2050), then 51..100; rank ⌈0.99·2100⌉ = 2079 → 79.
    assertEquals(new LatencySample.Summary(50, 79, 100, 2100), summary);
  }

  @Test
  void shouldHaveNoSummaryWithoutValues() {
    assertNull(new LatencySample().summary());
  }
}

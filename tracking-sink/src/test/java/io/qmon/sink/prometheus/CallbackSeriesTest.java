package io.qmon.sink.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The health series read their value at each scrape, not at registration. */
class CallbackSeriesTest {
  private static MetricSnapshot scraped(PrometheusRegistry registry, String name) {
    return registry.scrape().stream()
        .filter(m -> m.getMetadata().getPrometheusName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void shouldReadTheCounterAndTheGaugeAtEachScrape() {
    PrometheusRegistry registry = new PrometheusRegistry();
    AtomicLong delivered = new AtomicLong(3);
    AtomicLong outstanding = new AtomicLong(7);
    CallbackSeries.counter(registry, "qmon_test_delivered_total", "help", delivered::get);
    CallbackSeries.gauge(registry, "qmon_test_outstanding", "help", outstanding::get);

    CounterSnapshot counter = (CounterSnapshot) scraped(registry, "qmon_test_delivered");
    GaugeSnapshot gauge = (GaugeSnapshot) scraped(registry, "qmon_test_outstanding");
    assertEquals(3, counter.getDataPoints().get(0).getValue());
    assertEquals(7, gauge.getDataPoints().get(0).getValue());

    delivered.set(5);
    outstanding.set(0);
    counter = (CounterSnapshot) scraped(registry, "qmon_test_delivered");
    gauge = (GaugeSnapshot) scraped(registry, "qmon_test_outstanding");
    assertEquals(5, counter.getDataPoints().get(0).getValue());
    assertEquals(0, gauge.getDataPoints().get(0).getValue());
  }
}

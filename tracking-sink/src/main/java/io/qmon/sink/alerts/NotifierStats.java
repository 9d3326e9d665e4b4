package io.qmon.sink.alerts;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Counters of the alert notifier: gate decisions and deliveries per route. Thread-safe. */
public final class NotifierStats {
  private final Map<AlertDecision, AtomicLong> decisions = new EnumMap<>(AlertDecision.class);
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();

  public NotifierStats() {
    for (AlertDecision d : AlertDecision.values()) {
      decisions.put(d, new AtomicLong());
    }
  }

  void count(AlertDecision decision) {
    decisions.get(decision).incrementAndGet();
  }

  void countDelivered() {
    delivered.incrementAndGet();
  }

  void countFailed() {
    failed.incrementAndGet();
  }

  void countRetry() {
    retries.incrementAndGet();
  }

  /** Alerts passed on to the routes. */
  public long notified() {
    return decisions.get(AlertDecision.NOTIFY).get();
  }

  /** Repeats dropped. */
  public long duplicates() {
    return decisions.get(AlertDecision.DUPLICATE).get();
  }

  /** Alerts held back as flapping. */
  public long suppressed() {
    return decisions.get(AlertDecision.SUPPRESS_FLAPPING).get();
  }

  /** Notifications a route delivered. */
  public long delivered() {
    return delivered.get();
  }

  /** Notifications a route gave up on after its attempts; each is logged with the alert. */
  public long failed() {
    return failed.get();
  }

  /** POST attempts that were retried. */
  public long retries() {
    return retries.get();
  }

  @Override
  public String toString() {
    return "decisions="
        + decisions
        + " delivered="
        + delivered
        + " failed="
        + failed
        + " retries="
        + retries;
  }
}

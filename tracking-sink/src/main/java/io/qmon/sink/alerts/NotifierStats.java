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
  private final AtomicLong resent = new AtomicLong();
  private final AtomicLong alertmanagerFiring = new AtomicLong();

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

  void countResent(int alerts) {
    resent.addAndGet(alerts);
  }

  void setAlertmanagerFiring(long alerts) {
    alertmanagerFiring.set(alerts);
  }

  /** Firing alerts re-posted to Alertmanager (each alert of a resend counts). */
  public long resent() {
    return resent.get();
  }

  /** Firing alerts the notifier keeps re-posting to Alertmanager. */
  public long alertmanagerFiring() {
    return alertmanagerFiring.get();
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

  /** Notifications a route delivered (a resend to Alertmanager counts once). */
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
        + retries
        + " resent="
        + resent
        + " alertmanagerFiring="
        + alertmanagerFiring;
  }
}

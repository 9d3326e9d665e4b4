package io.qmon.sink.alerts;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides what the notifier posts to Alertmanager and when, the way Prometheus does: a firing alert
 * is posted at once and then re-posted every {@code resendInterval}, each time with {@code endsAt}
 * = now + {@code endsAtIntervals} × interval, so Alertmanager keeps it active while it fires (and
 * resolves it by itself a few intervals after the notifier stops, e.g. when it dies); a resolution
 * is posted with {@code endsAt} = now. An alert still firing after {@code maxAge} is no longer
 * re-posted (the job never resolves some alerts, such as {@code run-stalled}), so Alertmanager lets
 * it end. Pure: the caller owns the clock, the storage and the HTTP.
 */
public final class AlertmanagerResend {
  /**
   * An alert the notifier keeps re-posting.
   *
   * @param key what identifies it (run, detector, metric)
   * @param firstSentMillis when it was first posted
   * @param lastSentMillis when it was last posted
   */
  public record Firing(
      String key, AlertmanagerAlert alert, long firstSentMillis, long lastSentMillis) {}

  private final long intervalMillis;
  private final long leadMillis;
  private final long maxAgeMillis;

  /**
   * @param resendInterval how often a firing alert is re-posted
   * @param endsAtIntervals how many intervals ahead {@code endsAt} is set (at least 2, so one lost
   *     post does not end the alert)
   * @param maxAge how long an alert is re-posted at most
   */
  public AlertmanagerResend(Duration resendInterval, int endsAtIntervals, Duration maxAge) {
    if (resendInterval.isNegative() || resendInterval.isZero()) {
      throw new IllegalArgumentException(
          "alerts.resend-interval must be positive, was " + resendInterval);
    }
    if (endsAtIntervals < 2) {
      throw new IllegalArgumentException(
          "alerts.ends-at-intervals must be at least 2 (endsAt must outlive one lost resend), was "
              + endsAtIntervals);
    }
    this.intervalMillis = resendInterval.toMillis();
    this.leadMillis = Math.multiplyExact(intervalMillis, (long) endsAtIntervals);
    this.maxAgeMillis = maxAge.toMillis();
  }

  /** A newly firing alert: what to post now, and what to keep for the resends. */
  public Firing fire(String key, AlertmanagerAlert alert, long nowMillis) {
    return new Firing(key, alert, nowMillis, nowMillis);
  }

  /** The body of a post of a firing alert at the given time: {@code endsAt} ahead. */
  public AlertmanagerAlert firingPost(Firing firing, long nowMillis) {
    return firing.alert().endingAt(Instant.ofEpochMilli(nowMillis + leadMillis));
  }

  /**
   * The body of a resolution at the given time: {@code endsAt} = now, or its {@code startsAt} if
   * that is later (the job's clock ahead of ours), since Alertmanager refuses an end before the
   * start.
   */
  public AlertmanagerAlert resolvedPost(AlertmanagerAlert alert, long nowMillis) {
    return alert.endingAt(
        Instant.ofEpochMilli(Math.max(nowMillis, alert.startsAt().toEpochMilli())));
  }

  /** What a scan of the kept alerts at the given time does. */
  public record Due(List<Firing> resend, List<Firing> expired) {}

  /**
   * The kept alerts whose last post is at least one interval old (to re-post, with their new
   * last-sent time) and those older than the maximum age (to forget).
   */
  public Due due(Iterable<Firing> kept, long nowMillis) {
    List<Firing> resend = new ArrayList<>();
    List<Firing> expired = new ArrayList<>();
    for (Firing firing : kept) {
      if (nowMillis - firing.firstSentMillis() >= maxAgeMillis) {
        expired.add(firing);
      } else if (nowMillis - firing.lastSentMillis() >= intervalMillis) {
        resend.add(new Firing(firing.key(), firing.alert(), firing.firstSentMillis(), nowMillis));
      }
    }
    return new Due(resend, expired);
  }

  /** How long ahead of a post {@code endsAt} lies. */
  public Duration lead() {
    return Duration.ofMillis(leadMillis);
  }
}

package io.qmon.sink.alerts;

import io.qmon.schemas.AlertState;

/**
 * What the notifier does with an incoming alert, given what it last did for the same run, detector
 * and metric; pure, so the rules are tested without Kafka.
 */
enum AlertDecision {
  /** Notify: a new firing episode, or the resolution of a notified one. */
  NOTIFY,
  /** The same alert in the same state again (producer retry, job replay). */
  DUPLICATE,
  /** Re-fired within the flap window after a resolution: held back, and so is its resolution. */
  SUPPRESS_FLAPPING,
  /** A resolution of something never notified. */
  NOTHING_TO_RESOLVE;

  /**
   * @param last what was last recorded for this run/detector/metric, or null
   * @param alertId the incoming alert's id
   * @param state the incoming alert's state
   * @param eventTime the incoming alert's event time (ms)
   * @param flapWindowMillis re-fires this soon after a resolution are suppressed
   */
  static AlertDecision decide(
      AlertMemory last, String alertId, AlertState state, long eventTime, long flapWindowMillis) {
    if (last != null && last.alertId().equals(alertId) && last.state() == state) {
      return DUPLICATE;
    }
    if (state == AlertState.RESOLVED) {
      if (last == null || !last.alertId().equals(alertId) || last.state() != AlertState.FIRING) {
        return NOTHING_TO_RESOLVE;
      }
      return last.suppressed() ? SUPPRESS_FLAPPING : NOTIFY;
    }
    if (last != null
        && last.state() == AlertState.RESOLVED
        && eventTime - last.eventTime() < flapWindowMillis) {
      return SUPPRESS_FLAPPING;
    }
    return NOTIFY;
  }
}

package io.qmon.metrics.detect;

/** Whether an alert starts (fires) or ends (resolves). */
public enum AlertState {
  FIRING,
  RESOLVED
}

package io.qmon.metrics.detect;

/** How urgently a human should look. */
public enum Severity {
  INFO,
  WARNING,
  CRITICAL
}

package io.qmon.sink.alerts;

import io.qmon.schemas.Alert;
import io.qmon.schemas.AlertState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes each notification to the log: WARN when firing, INFO when resolved. */
public final class LogRoute implements AlertRoute {
  private static final Logger LOG = LoggerFactory.getLogger("io.qmon.alerts");

  @Override
  public String name() {
    return "log";
  }

  @Override
  public void send(Alert alert) {
    if (alert.getState() == AlertState.FIRING) {
      LOG.warn(
          "FIRING {} {} run={} {}={} threshold={} epoch={}: {}",
          alert.getSeverity(),
          alert.getDetector(),
          alert.getRunId(),
          alert.getMetric(),
          alert.getValue(),
          alert.getThreshold(),
          alert.getEpoch(),
          alert.getReason());
    } else {
      LOG.info(
          "RESOLVED {} run={} {} epoch={}",
          alert.getDetector(),
          alert.getRunId(),
          alert.getMetric(),
          alert.getEpoch());
    }
  }
}

package io.qmon.sink.alerts;

import io.qmon.schemas.Alert;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Maps the job's alerts to Alertmanager alerts: the labels users route on, readable annotations.
 */
final class AlertmanagerAlerts {
  /** The {@code alertname} label of every alert the job raises about a run. */
  static final String ALERTNAME = "QmonAnomaly";

  private AlertmanagerAlerts() {}

  /**
   * Labels {@code alertname}, {@code experiment} and {@code config_id} (when the run has them),
   * {@code run_id}, {@code detector}, {@code metric}, {@code severity}; annotations {@code
   * summary}, {@code description} and the raw {@code value}, {@code threshold}, {@code epoch},
   * {@code alert_id}; {@code startsAt} = the alert's event time; no {@code endsAt} (the resend sets
   * it).
   */
  static AlertmanagerAlert of(Alert alert, RunLinks links) {
    String severity = alert.getSeverity().name().toLowerCase(Locale.ROOT);
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("alertname", ALERTNAME);
    putIfSet(labels, "experiment", alert.getExperiment());
    putIfSet(labels, "config_id", alert.getConfigId());
    labels.put("run_id", alert.getRunId());
    labels.put("detector", alert.getDetector());
    labels.put("metric", alert.getMetric());
    labels.put("severity", severity);
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(
        "summary",
        alert.getMetric()
            + " anomaly in run "
            + alert.getRunId()
            + (alert.getExperiment() == null ? "" : " of " + alert.getExperiment())
            + " ("
            + alert.getDetector()
            + ", "
            + severity
            + ")");
    annotations.put(
        "description",
        alert.getReason()
            + " (value "
            + alert.getValue()
            + ", threshold "
            + alert.getThreshold()
            + ", epoch "
            + alert.getEpoch()
            + ")");
    annotations.put("value", Double.toString(alert.getValue()));
    annotations.put("threshold", Double.toString(alert.getThreshold()));
    annotations.put("epoch", Integer.toString(alert.getEpoch()));
    annotations.put("alert_id", alert.getAlertId());
    return new AlertmanagerAlert(
        labels, annotations, alert.getEventTime(), null, links.of(alert.getRunId()));
  }

  private static void putIfSet(Map<String, String> labels, String name, String value) {
    if (value != null && !value.isBlank()) {
      labels.put(name, value);
    }
  }
}

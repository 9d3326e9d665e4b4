package io.qmon.sink.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qmon.schemas.Alert;
import io.qmon.schemas.AlertState;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON bodies the routes send: qmon's webhook payload and Alertmanager's API v2 alerts. */
final class AlertJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private AlertJson() {}

  /** Webhook body: the alert's fields plus {@code status} firing/resolved. */
  static String webhook(Alert alert) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", alert.getState() == AlertState.FIRING ? "firing" : "resolved");
    body.put("alert_id", alert.getAlertId());
    body.put("run_id", alert.getRunId());
    body.put("detector", alert.getDetector());
    body.put("metric", alert.getMetric());
    body.put("severity", alert.getSeverity().name().toLowerCase(java.util.Locale.ROOT));
    body.put("value", alert.getValue());
    body.put("threshold", alert.getThreshold());
    body.put("epoch", alert.getEpoch());
    body.put("event_time", alert.getEventTime().toString());
    body.put("reason", alert.getReason());
    return write(body);
  }

  /**
   * Alertmanager POST /api/v2/alerts body: one alert with labels (alertname, run_id, detector,
   * metric, severity) and annotations; a resolution carries {@code endsAt} = its event time.
   */
  static String alertmanager(Alert alert) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("alertname", "QmonAnomaly");
    labels.put("run_id", alert.getRunId());
    labels.put("detector", alert.getDetector());
    labels.put("metric", alert.getMetric());
    labels.put("severity", alert.getSeverity().name().toLowerCase(java.util.Locale.ROOT));
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put("reason", alert.getReason());
    annotations.put("value", Double.toString(alert.getValue()));
    annotations.put("threshold", Double.toString(alert.getThreshold()));
    annotations.put("epoch", Integer.toString(alert.getEpoch()));
    annotations.put("alert_id", alert.getAlertId());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("labels", labels);
    body.put("annotations", annotations);
    String time = alert.getEventTime().toString();
    if (alert.getState() == AlertState.FIRING) {
      body.put("startsAt", time);
    } else {
      body.put("endsAt", time);
    }
    return write(List.of(body));
  }

  private static String write(Object body) {
    try {
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package io.qmon.sink.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qmon.schemas.Alert;
import io.qmon.schemas.AlertState;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON the notifier writes: qmon's webhook payload, Alertmanager's API v2 alerts, and the
 * firing alerts it keeps for resending.
 */
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
   * Alertmanager POST /api/v2/alerts body: the alerts with their labels, annotations, {@code
   * startsAt}, {@code endsAt} and {@code generatorURL} (when set).
   */
  static String alertmanager(List<AlertmanagerAlert> alerts) {
    List<Map<String, Object>> body = new ArrayList<>();
    for (AlertmanagerAlert alert : alerts) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("labels", new TreeMap<>(alert.labels()));
      item.put("annotations", new TreeMap<>(alert.annotations()));
      item.put("startsAt", alert.startsAt().toString());
      if (alert.endsAt() != null) {
        item.put("endsAt", alert.endsAt().toString());
      }
      if (alert.generatorUrl() != null) {
        item.put("generatorURL", alert.generatorUrl());
      }
      body.add(item);
    }
    return write(body);
  }

  /** A kept firing alert as the notifier stores it (JSON). */
  static String encode(AlertmanagerResend.Firing firing) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("key", firing.key());
    body.put("labels", new TreeMap<>(firing.alert().labels()));
    body.put("annotations", new TreeMap<>(firing.alert().annotations()));
    body.put("startsAt", firing.alert().startsAt().toString());
    body.put("generatorURL", firing.alert().generatorUrl());
    body.put("firstSent", firing.firstSentMillis());
    body.put("lastSent", firing.lastSentMillis());
    return write(body);
  }

  /** Reads back what {@link #encode} stored. */
  static AlertmanagerResend.Firing decode(String stored) {
    try {
      JsonNode node = JSON.readTree(stored);
      AlertmanagerAlert alert =
          new AlertmanagerAlert(
              strings(node.path("labels")),
              strings(node.path("annotations")),
              Instant.parse(node.path("startsAt").asText()),
              null,
              node.path("generatorURL").isTextual() ? node.path("generatorURL").asText() : null);
      return new AlertmanagerResend.Firing(
          node.path("key").asText(),
          alert,
          node.path("firstSent").asLong(),
          node.path("lastSent").asLong());
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("Unreadable firing alert in the notifier's store", e);
    }
  }

  private static Map<String, String> strings(JsonNode object) {
    Map<String, String> map = new LinkedHashMap<>();
    object.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
    return map;
  }

  private static String write(Object body) {
    try {
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}

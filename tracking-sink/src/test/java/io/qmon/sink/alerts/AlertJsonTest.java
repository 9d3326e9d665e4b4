package io.qmon.sink.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qmon.schemas.Alert;
import io.qmon.schemas.AlertState;
import io.qmon.schemas.Severity;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AlertJsonTest {
  @Test
  void shouldLabelAlertmanagerAlertsAndEndResolvedOnes() {
    Alert alert =
        Alert.newBuilder()
            .setAlertId("a1")
            .setRunId("run-1")
            .setDetector("ewma")
            .setMetric("fidelity")
            .setState(AlertState.RESOLVED)
            .setSeverity(Severity.CRITICAL)
            .setValue(0.1)
            .setThreshold(0.5)
            .setEpoch(9)
            .setEventTime(Instant.parse("2026-01-01T00:00:00Z"))
            .setReason("fidelity below band")
            .build();
    AlertmanagerAlert mapped =
        AlertmanagerAlerts.of(alert, new RunLinks("http://m:5000"))
            .endingAt(Instant.parse("2026-01-01T00:04:00Z"));
    String json = AlertJson.alertmanager(java.util.List.of(mapped));
    assertTrue(
        json.startsWith("[{\"labels\":{\"alertname\":\"QmonAnomaly\",\"detector\":\"ewma\""), json);
    assertTrue(json.contains("\"severity\":\"critical\""), json);
    assertTrue(json.contains("\"startsAt\":\"2026-01-01T00:00:00Z\""), json);
    assertTrue(json.contains("\"endsAt\":\"2026-01-01T00:04:00Z\""), json);
    assertTrue(json.contains("\"description\":\"fidelity below band (value 0.1"), json);
    assertTrue(json.contains("\"generatorURL\":\"http://m:5000/#/experiments?searchFilter="), json);
    AlertmanagerResend.Firing kept = new AlertmanagerResend.Firing("k", mapped, 1, 2);
    AlertmanagerResend.Firing back = AlertJson.decode(AlertJson.encode(kept));
    assertEquals(mapped.endingAt(null), back.alert());
    assertEquals(2, back.lastSentMillis());
    assertTrue(AlertJson.webhook(alert).contains("\"status\":\"resolved\""));
  }
}

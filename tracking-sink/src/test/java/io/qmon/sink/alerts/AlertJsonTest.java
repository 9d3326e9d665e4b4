package io.qmon.sink.alerts;

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
    String json = AlertJson.alertmanager(alert);
    assertTrue(json.startsWith("[{\"labels\":{\"alertname\":\"QmonAnomaly\",\"run_id\":\"run-1\""));
    assertTrue(json.contains("\"severity\":\"critical\""), json);
    assertTrue(json.contains("\"endsAt\":\"2026-01-01T00:00:00Z\""), json);
    assertTrue(json.contains("\"reason\":\"fidelity below band\""), json);
    assertTrue(AlertJson.webhook(alert).contains("\"status\":\"resolved\""));
  }
}

package io.qmon.sink.alerts;

import io.qmon.schemas.Alert;
import java.net.URI;

/**
 * Sends each notification to Alertmanager's API v2 ({@code POST /api/v2/alerts}), so users get its
 * routing, grouping, inhibition and silences.
 */
public final class AlertmanagerRoute implements AlertRoute {
  private final URI alertsUri;
  private final HttpPoster poster;

  AlertmanagerRoute(String baseUrl, HttpPoster poster) {
    String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.alertsUri = URI.create(base + "/api/v2/alerts");
    this.poster = poster;
  }

  @Override
  public String name() {
    return "alertmanager " + alertsUri;
  }

  @Override
  public void send(Alert alert) {
    poster.post(alertsUri, AlertJson.alertmanager(alert));
  }
}

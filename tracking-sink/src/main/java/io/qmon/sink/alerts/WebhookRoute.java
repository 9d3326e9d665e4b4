package io.qmon.sink.alerts;

import io.qmon.schemas.Alert;
import java.net.URI;

/** POSTs each notification as JSON to a webhook URL, with retries and backoff. */
public final class WebhookRoute implements AlertRoute {
  private final URI uri;
  private final HttpPoster poster;

  WebhookRoute(URI uri, HttpPoster poster) {
    this.uri = uri;
    this.poster = poster;
  }

  @Override
  public String name() {
    return "webhook " + uri;
  }

  @Override
  public void send(Alert alert) {
    poster.post(uri, AlertJson.webhook(alert));
  }
}

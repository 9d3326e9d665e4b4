package io.qmon.sink.alerts;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs JSON with retries and exponential backoff: connection errors, 5xx and 429 are retried up to
 * the attempt limit; other 4xx fail at once (the receiver refused the payload).
 */
final class HttpPoster {
  private static final Logger LOG = LoggerFactory.getLogger(HttpPoster.class);

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final int attempts;
  private final long backoffMillis;
  private final NotifierStats stats;

  HttpPoster(int attempts, Duration backoff, NotifierStats stats) {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1, was " + attempts);
    }
    this.attempts = attempts;
    this.backoffMillis = Math.max(1, backoff.toMillis());
    this.stats = stats;
  }

  void post(URI uri, String json) {
    long backoff = backoffMillis;
    String failure = null;
    for (int attempt = 1; attempt <= attempts; attempt++) {
      try {
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        int status = response.statusCode();
        if (status / 100 == 2) {
          return;
        }
        failure = "HTTP " + status + ": " + response.body();
        if (status / 100 == 4 && status != 429) {
          throw new AlertRoute.DeliveryException(
              uri + " refused the notification: " + failure, null);
        }
      } catch (IOException e) {
        failure = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AlertRoute.DeliveryException("Interrupted posting to " + uri, e);
      }
      if (attempt < attempts) {
        stats.countRetry();
        LOG.warn(
            "POST to {} failed ({}); attempt {} of {} in {} ms",
            uri,
            failure,
            attempt + 1,
            attempts,
            backoff);
        sleep(backoff, uri);
        backoff *= 2;
      }
    }
    throw new AlertRoute.DeliveryException(
        "POST to " + uri + " failed after " + attempts + " attempts: " + failure, null);
  }

  private static void sleep(long millis, URI uri) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AlertRoute.DeliveryException("Interrupted posting to " + uri, e);
    }
  }
}

package io.qmon.sink.alerts;

import java.time.Instant;
import java.util.Map;

/**
 * One alert as Alertmanager's API v2 takes it ({@code POST /api/v2/alerts}): the label set that
 * identifies it, annotations, when it started and until when it holds, and a link back to its
 * source. Alertmanager treats the alert as active until {@code endsAt}; an alert posted without one
 * would be resolved after Alertmanager's {@code resolve_timeout}.
 *
 * @param generatorUrl link to the run, or null for none
 */
public record AlertmanagerAlert(
    Map<String, String> labels,
    Map<String, String> annotations,
    Instant startsAt,
    Instant endsAt,
    String generatorUrl) {
  public AlertmanagerAlert {
    labels = Map.copyOf(labels);
    annotations = Map.copyOf(annotations);
  }

  /** The same alert holding until the given time. */
  public AlertmanagerAlert endingAt(Instant end) {
    return new AlertmanagerAlert(labels, annotations, startsAt, end, generatorUrl);
  }
}

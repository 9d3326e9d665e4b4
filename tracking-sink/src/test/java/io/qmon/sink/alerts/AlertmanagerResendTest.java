package io.qmon.sink.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AlertmanagerResendTest {
  private static final long T0 = 1_767_000_000_000L;
  private final AlertmanagerResend resend =
      new AlertmanagerResend(Duration.ofSeconds(30), 4, Duration.ofMinutes(10));
  private final AtomicLong clock = new AtomicLong(T0);

  private static AlertmanagerAlert alert() {
    return new AlertmanagerAlert(
        Map.of("alertname", "QmonAnomaly", "run_id", "r1"),
        Map.of("summary", "jsd anomaly"),
        Instant.ofEpochMilli(T0 - 5_000),
        null,
        null);
  }

  @Test
  void shouldPostAFiringAlertWithEndsAtFourIntervalsAhead() {
    AlertmanagerResend.Firing firing = resend.fire("k", alert(), clock.get());
    AlertmanagerAlert post = resend.firingPost(firing, clock.get());
    assertEquals(Instant.ofEpochMilli(T0 + 120_000), post.endsAt());
    assertEquals(Instant.ofEpochMilli(T0 - 5_000), post.startsAt(), "start is the alert's own");
  }

  @Test
  void shouldResendOncePerIntervalWhileFiringMovingEndsAtAhead() {
    List<AlertmanagerResend.Firing> kept = new ArrayList<>();
    kept.add(resend.fire("k", alert(), clock.get()));
    List<Instant> endsAts = new ArrayList<>();
    // Scans every 5 s for 95 s, as a punctuator would: resends at 30, 60 and 90 s only.
    for (int step = 1; step <= 19; step++) {
      clock.addAndGet(5_000);
      AlertmanagerResend.Due due = resend.due(kept, clock.get());
      assertTrue(due.expired().isEmpty());
      if (!due.resend().isEmpty()) {
        kept.clear();
        kept.addAll(due.resend());
        endsAts.add(resend.firingPost(due.resend().get(0), clock.get()).endsAt());
      }
    }
    assertEquals(
        List.of(
            Instant.ofEpochMilli(T0 + 30_000 + 120_000),
            Instant.ofEpochMilli(T0 + 60_000 + 120_000),
            Instant.ofEpochMilli(T0 + 90_000 + 120_000)),
        endsAts);
  }

  @Test
  void shouldStopResendingAfterTheMaximumAge() {
    AlertmanagerResend.Firing firing = resend.fire("k", alert(), clock.get());
    clock.addAndGet(Duration.ofMinutes(10).toMillis());
    AlertmanagerResend.Due due = resend.due(List.of(firing), clock.get());
    assertEquals(List.of(firing), due.expired());
    assertTrue(due.resend().isEmpty());
  }

  @Test
  void shouldEndAResolutionNowButNeverBeforeItsStart() {
    assertEquals(Instant.ofEpochMilli(T0), resend.resolvedPost(alert(), T0).endsAt());
    AlertmanagerAlert fromTheFuture =
        new AlertmanagerAlert(
            Map.of("alertname", "QmonAnomaly"),
            Map.of(),
            Instant.ofEpochMilli(T0 + 900),
            null,
            null);
    assertEquals(Instant.ofEpochMilli(T0 + 900), resend.resolvedPost(fromTheFuture, T0).endsAt());
  }

  @Test
  void shouldRefuseAnEndsAtThatALostResendWouldEnd() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new AlertmanagerResend(Duration.ofSeconds(30), 1, Duration.ofHours(1)));
    assertTrue(e.getMessage().contains("alerts.ends-at-intervals"), e.getMessage());
  }

  @Test
  void shouldLinkTheMlflowSearchForTheRunIdTag() {
    assertEquals(
        "http://mlflow:5000/#/experiments?searchFilter=tags.%60qmon.run_id%60%20%3D%20%27r%201%27",
        new RunLinks("http://mlflow:5000/").of("r 1"));
    assertEquals(null, new RunLinks("").of("r1"));
  }

  @Test
  void shouldLinkTheRunsOwnPageWhenTheMlflowWriterKnowsItAndTheSearchOtherwise() {
    RunLinks links =
        new RunLinks(
            "http://mlflow:5000/",
            runId ->
                runId.equals("r1") ? Optional.of("#/experiments/7/runs/abc") : Optional.empty());
    assertEquals("http://mlflow:5000/#/experiments/7/runs/abc", links.of("r1"));
    assertEquals(
        "http://mlflow:5000/#/experiments?searchFilter=tags.%60qmon.run_id%60%20%3D%20%27r2%27",
        links.of("r2"));
    assertEquals(null, new RunLinks("", runId -> Optional.of("#/x")).of("r1"));
  }
}

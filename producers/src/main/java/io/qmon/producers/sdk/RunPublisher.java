package io.qmon.producers.sdk;

import io.qmon.schemas.RunEvent;
import io.qmon.schemas.RunFinished;
import io.qmon.schemas.RunStarted;
import io.qmon.schemas.RunStatus;
import io.qmon.schemas.ShotCounts;
import io.qmon.schemas.validation.EventValidator;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Publishes one run: its start (on creation), one event per epoch, its end. Gives every event the
 * run's next sequence number and checks, before sending, that epochs increase and that the counts
 * are consistent. One thread drives a run.
 */
public final class RunPublisher {
  private final QmonPublisher publisher;
  private final String runId;
  private final RunStarted started;
  private final Clock clock;
  private long nextSeq;
  private int lastEpoch = -1;
  private int epochs;
  private boolean finished;

  private RunPublisher(QmonPublisher publisher, String runId, RunStarted started, Clock clock) {
    this.publisher = publisher;
    this.runId = runId;
    this.started = started;
    this.clock = clock;
  }

  static RunPublisher start(QmonPublisher publisher, String runId, RunStarted started) {
    RunPublisher run = new RunPublisher(publisher, runId, started, Clock.systemUTC());
    RunEvent event = run.lifecycle(started);
    EventValidator.validate(event)
        .ifPresent(
            r -> {
              throw new IllegalArgumentException("Invalid run start: " + r.reason());
            });
    publisher.send(event);
    return run;
  }

  public String runId() {
    return runId;
  }

  public RunStarted started() {
    return started;
  }

  /**
   * Publishes one epoch's sparse shot counts.
   *
   * @throws IllegalArgumentException naming the field when the event is inconsistent, or when the
   *     epoch does not increase
   */
  public void publishEpoch(int epoch, long[] outcomes, long[] counts, Map<String, Double> losses) {
    if (finished) {
      throw new IllegalStateException("run " + runId + " is finished; no more epochs");
    }
    if (epoch <= lastEpoch) {
      throw new IllegalArgumentException(
          "epoch " + epoch + " must be greater than the previous epoch " + lastEpoch);
    }
    long shots = 0;
    for (long c : counts) {
      shots += c;
    }
    ShotCounts event =
        ShotCounts.newBuilder()
            .setRunId(runId)
            .setProducerId(publisher.producerId())
            .setSeq(nextSeq)
            .setEpoch(epoch)
            .setEventTime(Instant.now(clock))
            .setQubits(started.getQubits())
            .setShots(started.getShots())
            .setOutcomes(toList(outcomes))
            .setCounts(toList(counts))
            .setLosses(losses)
            .build();
    if (shots != started.getShots()) {
      throw new IllegalArgumentException(
          "counts sum to " + shots + " but the run declared shots = " + started.getShots());
    }
    EventValidator.validate(event)
        .ifPresent(
            r -> {
              throw new IllegalArgumentException("Invalid epoch " + epoch + ": " + r.reason());
            });
    nextSeq++;
    publisher.send(event);
    lastEpoch = epoch;
    epochs++;
  }

  /** Publishes the run's end. */
  public void finish(RunStatus status, String message) {
    if (finished) {
      throw new IllegalStateException("run " + runId + " is already finished");
    }
    publisher.send(
        lifecycle(
            RunFinished.newBuilder()
                .setStatus(status)
                .setEpochs(epochs)
                .setMessage(message)
                .build()));
    finished = true;
  }

  private RunEvent lifecycle(Object payload) {
    return RunEvent.newBuilder()
        .setRunId(runId)
        .setProducerId(publisher.producerId())
        .setSeq(nextSeq++)
        .setEventTime(Instant.now(clock))
        .setPayload(payload)
        .build();
  }

  private static List<Long> toList(long[] values) {
    List<Long> list = new ArrayList<>(values.length);
    for (long v : values) {
      list.add(v);
    }
    return list;
  }
}

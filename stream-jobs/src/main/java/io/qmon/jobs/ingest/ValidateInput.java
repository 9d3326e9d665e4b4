package io.qmon.jobs.ingest;

import io.qmon.jobs.records.DeadLetters;
import io.qmon.jobs.records.InputEvent;
import io.qmon.schemas.DeadLetter;
import io.qmon.schemas.validation.ErrorType;
import io.qmon.schemas.validation.EventValidator;
import io.qmon.schemas.validation.Rejection;
import java.time.Instant;
import java.util.Optional;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The job's edge: passes on events that make sense on their own and sends everything else
 * (undecodable records, events that fail {@link EventValidator}, and run events stamped further in
 * the future than the job's tolerance) to the dead-letter output.
 *
 * <p>Lateness is not judged here: the shared watermark mixes every producer's clock, so it is
 * judged per run, against the run's own latest event time, by the run's lifecycle.
 */
public final class ValidateInput extends ProcessFunction<InputEvent, InputEvent> {
  private static final long serialVersionUID = 1L;

  private final OutputTag<DeadLetter> deadLetters;
  private final long maxFutureSkewMs;

  /**
   * @param maxFutureSkewMs run and shot events stamped further ahead of the job's processing-time
   *     clock are dead-lettered as {@code FUTURE_EVENT_TIME}; {@code Long.MAX_VALUE} turns the
   *     check off (targets are state, not a time series)
   */
  public ValidateInput(OutputTag<DeadLetter> deadLetters, long maxFutureSkewMs) {
    this.deadLetters = deadLetters;
    this.maxFutureSkewMs = maxFutureSkewMs;
  }

  @Override
  public void processElement(InputEvent event, Context ctx, Collector<InputEvent> out) {
    if (event.rejected != null) {
      ctx.output(deadLetters, event.rejected);
      return;
    }
    Optional<Rejection> rejection;
    Object payload;
    if (event.shots != null) {
      rejection = EventValidator.validate(event.shots);
      payload = event.shots;
    } else if (event.run != null) {
      rejection = EventValidator.validate(event.run);
      payload = event.run;
    } else if (event.state != null) {
      // Snapshots are checked against their run (qubits, amplitudes) by the run's lifecycle.
      rejection = Optional.empty();
      payload = event.state;
    } else {
      rejection = EventValidator.validate(event.target);
      payload = event.target;
    }
    if (rejection.isEmpty() && event.target == null && maxFutureSkewMs != Long.MAX_VALUE) {
      rejection = future(event.eventTimeMillis(), ctx.timerService().currentProcessingTime());
    }
    if (rejection.isPresent()) {
      Instant now = Instant.ofEpochMilli(ctx.timerService().currentProcessingTime());
      ctx.output(deadLetters, DeadLetters.rejected(event, payload, rejection.get(), now));
    } else {
      out.collect(event);
    }
  }

  private Optional<Rejection> future(long eventTime, long now) {
    if (!SkewTolerantWatermarks.isFuture(eventTime, now, maxFutureSkewMs)) {
      return Optional.empty();
    }
    return Optional.of(
        new Rejection(
            ErrorType.FUTURE_EVENT_TIME,
            "event_time",
            "event_time "
                + Instant.ofEpochMilli(eventTime)
                + " is "
                + (eventTime - now)
                + " ms ahead of the job's clock ("
                + Instant.ofEpochMilli(now)
                + "); job.max-future-skew-ms = "
                + maxFutureSkewMs
                + ": is the producer's clock set right?"));
  }
}

package io.qmon.jobs.functions;

import io.qmon.jobs.records.DeadLetters;
import io.qmon.jobs.records.InputEvent;
import io.qmon.schemas.DeadLetter;
import io.qmon.schemas.validation.ErrorType;
import io.qmon.schemas.validation.EventValidator;
import io.qmon.schemas.validation.Rejection;
import java.util.Optional;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The job's edge: passes on events that make sense on their own and sends everything else
 * (undecodable records and events that fail {@link EventValidator}) to the dead-letter output.
 */
public final class ValidateInput extends ProcessFunction<InputEvent, InputEvent> {
  private static final long serialVersionUID = 1L;

  private final OutputTag<DeadLetter> deadLetters;
  private final long allowedLatenessMs;

  /**
   * @param allowedLatenessMs shot events whose time is further behind the watermark are late;
   *     {@code Long.MAX_VALUE} turns the check off (targets are state, not a time series)
   */
  public ValidateInput(OutputTag<DeadLetter> deadLetters, long allowedLatenessMs) {
    this.deadLetters = deadLetters;
    this.allowedLatenessMs = allowedLatenessMs;
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
    } else {
      rejection = EventValidator.validate(event.target);
      payload = event.target;
    }
    if (rejection.isEmpty() && event.shots != null) {
      rejection = lateness(event.eventTimeMillis(), ctx.timerService().currentWatermark());
    }
    if (rejection.isPresent()) {
      ctx.output(deadLetters, DeadLetters.rejected(event, payload, rejection.get()));
    } else {
      out.collect(event);
    }
  }

  private Optional<Rejection> lateness(long eventTime, long watermark) {
    if (allowedLatenessMs == Long.MAX_VALUE || watermark == Long.MIN_VALUE) {
      return Optional.empty();
    }
    long behind = watermark - eventTime;
    if (behind > allowedLatenessMs) {
      return Optional.of(
          new Rejection(
              ErrorType.LATE_EVENT,
              "event_time is "
                  + behind
                  + " ms behind the watermark; job.allowed-lateness-ms = "
                  + allowedLatenessMs));
    }
    return Optional.empty();
  }
}

package io.qmon.metrics.detect;

import java.io.Serializable;

/**
 * One alert transition: a detector started or stopped firing on a metric.
 *
 * @param detector the detector's name, e.g. {@code jsd-above-noise-floor}
 * @param metric the metric it watches, a {@link io.qmon.metrics.MetricNames} name
 * @param state FIRING when the alert starts, RESOLVED when it ends
 * @param severity how urgent
 * @param value the statistic that decided: the metric value, or the detector's own statistic (z,
 *     CUSUM sum, EWMA) as {@code reason} says
 * @param threshold the level {@code value} was compared with
 * @param epoch the training epoch of the observation that decided
 * @param timeMillis when it was decided, from the detector's clock
 * @param reason a sentence for humans: what was seen and why it matters
 */
public record AlertDecision(
    String detector,
    String metric,
    AlertState state,
    Severity severity,
    double value,
    double threshold,
    long epoch,
    long timeMillis,
    String reason)
    implements Serializable {}

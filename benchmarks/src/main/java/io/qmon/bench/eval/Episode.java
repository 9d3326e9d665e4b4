package io.qmon.bench.eval;

import io.qmon.metrics.detect.Severity;

/**
 * One alert episode of a detector on a stream: the epoch it fired at and the epoch it resolved at
 * (0 when it was still firing when the stream ended).
 */
public record Episode(String source, Severity severity, long firedEpoch, long resolvedEpoch) {}

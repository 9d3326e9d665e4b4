package io.qmon.metrics.noise;

import java.io.Serializable;

/**
 * Shot-noise floors of every divergence for one (target, shots, quantile).
 *
 * @param infidelity the floor of 1 − F, F the classical fidelity
 */
public record NoiseFloors(
    String targetId,
    long shots,
    double quantile,
    Floor jsd,
    Floor kl,
    Floor tv,
    Floor hellinger,
    Floor infidelity)
    implements Serializable {}

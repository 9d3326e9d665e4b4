package io.qmon.metrics.noise;

import java.io.Serializable;

/**
 * The shot-noise floor of one divergence: its distribution when the model is perfect and only
 * sampling noise separates Q from P.
 *
 * @param mean expected value under the null "Q is an N-shot multinomial sample of P"
 * @param upper the {@code quantile}-quantile under that null; values above it are unlikely to be
 *     noise alone
 * @param quantile the level of {@code upper}, e.g. 0.99
 * @param method how it was obtained, e.g. {@code chi-square(df=7)} or {@code
 *     monte-carlo(draws=2000)}
 */
public record Floor(double mean, double upper, double quantile, String method)
    implements Serializable {}

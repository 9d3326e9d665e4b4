package io.qmon.producers.train;

/**
 * The Adam optimiser (Kingma and Ba, 2015) over a flat parameter vector, with bias-corrected moment
 * estimates; used for both halves of the qGAN.
 */
public final class Adam {
  private final double learningRate;
  private final double beta1;
  private final double beta2;
  private final double epsilon;
  private final double[] m;
  private final double[] v;
  private int t;

  /**
   * @param size number of parameters
   * @param learningRate step size, > 0
   * @param beta1 first-moment decay in [0, 1)
   * @param beta2 second-moment decay in [0, 1)
   */
  public Adam(int size, double learningRate, double beta1, double beta2) {
    if (size < 1) {
      throw new IllegalArgumentException("size must be >= 1, got " + size);
    }
    if (!(learningRate > 0)) {
      throw new IllegalArgumentException("learningRate must be > 0, got " + learningRate);
    }
    if (!(beta1 >= 0 && beta1 < 1)) {
      throw new IllegalArgumentException("beta1 must be in [0, 1), got " + beta1);
    }
    if (!(beta2 >= 0 && beta2 < 1)) {
      throw new IllegalArgumentException("beta2 must be in [0, 1), got " + beta2);
    }
    this.learningRate = learningRate;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = 1e-8;
    this.m = new double[size];
    this.v = new double[size];
  }

  /** Moves {@code params} against {@code gradient}, in place. */
  public void step(double[] params, double[] gradient) {
    if (params.length != m.length || gradient.length != m.length) {
      throw new IllegalArgumentException(
          "params and gradient must have "
              + m.length
              + " entries, got "
              + params.length
              + " and "
              + gradient.length);
    }
    t++;
    double c1 = 1 - Math.pow(beta1, t);
    double c2 = 1 - Math.pow(beta2, t);
    for (int i = 0; i < params.length; i++) {
      m[i] = beta1 * m[i] + (1 - beta1) * gradient[i];
      v[i] = beta2 * v[i] + (1 - beta2) * gradient[i] * gradient[i];
      params[i] -= learningRate * (m[i] / c1) / (Math.sqrt(v[i] / c2) + epsilon);
    }
  }
}

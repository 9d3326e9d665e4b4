package io.qmon.producers.train;

import java.util.SplittableRandom;

/**
 * The qGAN's classical discriminator: a 1 → 50 → 20 → 1 perceptron with LeakyReLU (slope 0.2)
 * hidden layers and a sigmoid output, the shape used by Zoufal et al. (2019) and Qiskit's qGAN
 * tutorial. It reads one real value (an outcome's position on the grid) and returns the probability
 * that the value came from the data.
 *
 * <p>Works on logits so that log D and log(1−D) stay finite. Weights live in one flat vector so
 * that {@link Adam} can update them in one call; initialised Xavier-uniform from the seed.
 */
public final class Discriminator {
  static final int[] LAYERS = {1, 50, 20, 1};
  private static final double LEAK = 0.2;

  private final double[] weights;
  private final int[] weightOffset = new int[LAYERS.length - 1];
  private final int[] biasOffset = new int[LAYERS.length - 1];
  private final double[][] pre = new double[LAYERS.length][];
  private final double[][] act = new double[LAYERS.length][];
  private final double[][] delta = new double[LAYERS.length][];

  public Discriminator(SplittableRandom rng) {
    int size = 0;
    for (int l = 0; l + 1 < LAYERS.length; l++) {
      weightOffset[l] = size;
      size += LAYERS[l] * LAYERS[l + 1];
      biasOffset[l] = size;
      size += LAYERS[l + 1];
    }
    weights = new double[size];
    for (int l = 0; l + 1 < LAYERS.length; l++) {
      double bound = Math.sqrt(6.0 / (LAYERS[l] + LAYERS[l + 1]));
      for (int i = 0; i < LAYERS[l] * LAYERS[l + 1]; i++) {
        weights[weightOffset[l] + i] = (2 * rng.nextDouble() - 1) * bound;
      }
    }
    for (int l = 0; l < LAYERS.length; l++) {
      pre[l] = new double[LAYERS[l]];
      act[l] = new double[LAYERS[l]];
      delta[l] = new double[LAYERS[l]];
    }
  }

  /** The flat weight vector, updated in place by the optimiser. */
  double[] weights() {
    return weights;
  }

  /** The output logit z for input value {@code x}; D(x) = σ(z). */
  public double logit(double x) {
    act[0][0] = x;
    int last = LAYERS.length - 1;
    for (int l = 0; l < last; l++) {
      int in = LAYERS[l];
      int out = LAYERS[l + 1];
      for (int j = 0; j < out; j++) {
        double z = weights[biasOffset[l] + j];
        int row = weightOffset[l] + j * in;
        for (int i = 0; i < in; i++) {
          z += weights[row + i] * act[l][i];
        }
        pre[l + 1][j] = z;
        act[l + 1][j] = l + 1 < last ? (z > 0 ? z : LEAK * z) : z;
      }
    }
    return act[last][0];
  }

  /** D(x), the probability that x is real. */
  public double probability(double x) {
    return sigmoid(logit(x));
  }

  /**
   * Adds dL/dweights to {@code gradient} for one input, given dL/dz at the output logit. Runs its
   * own forward pass.
   */
  void accumulateGradient(double x, double dLossDLogit, double[] gradient) {
    logit(x);
    int last = LAYERS.length - 1;
    delta[last][0] = dLossDLogit;
    for (int l = last - 1; l >= 0; l--) {
      int in = LAYERS[l];
      int out = LAYERS[l + 1];
      for (int i = 0; i < in; i++) {
        delta[l][i] = 0;
      }
      for (int j = 0; j < out; j++) {
        double d = delta[l + 1][j];
        gradient[biasOffset[l] + j] += d;
        int row = weightOffset[l] + j * in;
        for (int i = 0; i < in; i++) {
          gradient[row + i] += d * act[l][i];
          delta[l][i] += d * weights[row + i];
        }
      }
      if (l > 0) {
        for (int i = 0; i < in; i++) {
          if (pre[l][i] <= 0) {
            delta[l][i] *= LEAK;
          }
        }
      }
    }
  }

  static double sigmoid(double z) {
    return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
  }

  /** log σ(z), computed without overflow. */
  static double logSigmoid(double z) {
    return z >= 0 ? -Math.log1p(Math.exp(-z)) : z - Math.log1p(Math.exp(z));
  }
}

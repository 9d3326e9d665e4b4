package io.qmon.producers.train;

import io.qmon.producers.sim.Circuit;
import io.qmon.producers.sim.Gate;
import io.qmon.producers.sim.QuantumModel;
import io.qmon.producers.sim.ShotCounts;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Trains a quantum GAN (Zoufal, Lucchi and Woerner, 2019): a quantum generator, a parameterised
 * circuit whose measurement distribution should load the target, against a classical {@link
 * Discriminator}, both optimised with {@link Adam}.
 *
 * <p>Each epoch, with p_real the target and p_gen the generator's exact probabilities over the
 * grid, and D fed each outcome's grid position rescaled to [−1, 1]:
 *
 * <ol>
 *   <li>one discriminator step on d_loss = −½Σ_x [p_real(x) log D(x) + p_gen(x) log(1−D(x))];
 *   <li>one generator step on g_loss = −Σ_x p_gen(x) log D(x), whose gradient takes ∂p_gen/∂θ from
 *       the parameter-shift rule ½[p(θ+π/2) − p(θ−π/2)] on <em>exact</em> probabilities (the
 *       simulator's advantage: no shot noise in the gradient, 2 circuit runs per parameter);
 *   <li>{@code shots} shots of the updated generator, which the epoch reports.
 * </ol>
 *
 * Losses reported: {@code d_loss} and {@code g_loss} as computed in the steps, and {@code jsd} of
 * the reported sample against the target. Defaults follow Qiskit's PyTorch qGAN tutorial: Adam with
 * learning rate 0.01 and betas (0.7, 0.999) for both players; generator parameters start uniform in
 * [0, 1) from the seed. Only RX, RY and RZ gates may carry parameters (the two-term shift rule does
 * not hold for CRY).
 */
public final class QGanTrainer implements Trainer {
  private final QuantumModel model;
  private final Target target;
  private final int shots;
  private final double[] real;
  private final double[] inputs;
  private final Discriminator discriminator;
  private final Adam discriminatorOptimiser;
  private final Adam generatorOptimiser;
  private final SplittableRandom samplingRng;
  private final LossFunction jsd;
  private final double[] params;
  private final double[] generated;
  private final double[] logits;
  private final double[] plus;
  private final double[] minus;
  private int epoch;

  private QGanTrainer(Builder b) {
    this.model = b.model;
    this.target = b.target;
    this.shots = b.shots;
    int size = 1 << model.qubits();
    this.real = target.dense();
    this.inputs = new double[size];
    for (int x = 0; x < size; x++) {
      inputs[x] = 2.0 * x / (size - 1) - 1;
    }
    SplittableRandom root = new SplittableRandom(b.seed);
    SplittableRandom initRng = root.split();
    this.discriminator = new Discriminator(root.split());
    this.samplingRng = root.split();
    this.discriminatorOptimiser =
        new Adam(discriminator.weights().length, b.discriminatorLearningRate, b.beta1, b.beta2);
    this.generatorOptimiser =
        new Adam(model.numParameters(), b.generatorLearningRate, b.beta1, b.beta2);
    this.jsd = LossFunction.of(Loss.JSD, target);
    if (b.initialParameters != null) {
      model.circuit().checkParameters(b.initialParameters);
      this.params = b.initialParameters.clone();
    } else {
      this.params = new double[model.numParameters()];
      for (int i = 0; i < params.length; i++) {
        params[i] = initRng.nextDouble();
      }
    }
    this.generated = new double[size];
    this.logits = new double[size];
    this.plus = new double[size];
    this.minus = new double[size];
  }

  /**
   * A builder for a qGAN with generator {@code model} against {@code target}. Defaults: 1024 shots,
   * seed 0, Adam learning rate 0.01 for both players, betas (0.7, 0.999).
   */
  public static Builder builder(QuantumModel model, Target target) {
    return new Builder(model, target);
  }

  @Override
  public EpochResult nextEpoch() {
    model.exactProbabilities(params, generated);
    double dLoss = discriminatorStep();
    double gLoss = generatorStep();
    ShotCounts counts = model.sample(params, shots, samplingRng);
    epoch++;
    Map<String, Double> losses = new LinkedHashMap<>();
    losses.put("d_loss", dLoss);
    losses.put("g_loss", gLoss);
    losses.put("jsd", jsd.evaluate(counts.frequencies()));
    return new EpochResult(
        epoch, model.qubits(), counts.shots(), counts.outcomes(), counts.counts(), losses, params);
  }

  @Override
  public int epoch() {
    return epoch;
  }

  /** The current generator parameters. */
  public double[] parameters() {
    return params.clone();
  }

  /** Exact probabilities of the current generator. */
  public double[] exactProbabilities() {
    return model.exactProbabilities(params);
  }

  public Target target() {
    return target;
  }

  /** D(x) for each outcome x under the current discriminator. */
  public double[] discriminatorOutputs() {
    double[] out = new double[inputs.length];
    for (int x = 0; x < inputs.length; x++) {
      out[x] = discriminator.probability(inputs[x]);
    }
    return out;
  }

  private double discriminatorStep() {
    double[] gradient = new double[discriminator.weights().length];
    double loss = 0;
    for (int x = 0; x < inputs.length; x++) {
      if (real[x] == 0 && generated[x] == 0) {
        continue;
      }
      double z = discriminator.logit(inputs[x]);
      double d = Discriminator.sigmoid(z);
      loss -=
          0.5
              * (real[x] * Discriminator.logSigmoid(z)
                  + generated[x] * Discriminator.logSigmoid(-z));
      // d/dz of −½[r log σ(z) + g log σ(−z)] = ½[g σ(z) − r (1 − σ(z))]
      discriminator.accumulateGradient(
          inputs[x], 0.5 * (generated[x] * d - real[x] * (1 - d)), gradient);
    }
    discriminatorOptimiser.step(discriminator.weights(), gradient);
    return loss;
  }

  private double generatorStep() {
    double loss = 0;
    for (int x = 0; x < inputs.length; x++) {
      // −log D(x) weights each outcome's probability in g_loss
      logits[x] = -Discriminator.logSigmoid(discriminator.logit(inputs[x]));
      loss += generated[x] * logits[x];
    }
    Circuit circuit = model.circuit();
    double[] gradient = new double[params.length];
    for (int op = 0; op < circuit.size(); op++) {
      int p = circuit.parameterIndex(op);
      if (p < 0) {
        continue;
      }
      model.shiftedProbabilities(params, op, Math.PI / 2, plus);
      model.shiftedProbabilities(params, op, -Math.PI / 2, minus);
      double g = 0;
      for (int x = 0; x < inputs.length; x++) {
        g += 0.5 * (plus[x] - minus[x]) * logits[x];
      }
      gradient[p] += g;
    }
    generatorOptimiser.step(params, gradient);
    return loss;
  }

  private static void checkShiftRule(Circuit circuit) {
    for (int op = 0; op < circuit.size(); op++) {
      Gate g = circuit.gate(op);
      if (circuit.parameterIndex(op) >= 0 && g != Gate.RX && g != Gate.RY && g != Gate.RZ) {
        throw new IllegalArgumentException(
            "model.circuit operation "
                + op
                + " is a parameterised "
                + g
                + "; the parameter-shift gradient supports RX, RY and RZ only");
      }
    }
  }

  /** Configures a {@link QGanTrainer}; every setter validates its argument. */
  public static final class Builder {
    private final QuantumModel model;
    private final Target target;
    private int shots = 1024;
    private long seed;
    private double generatorLearningRate = 0.01;
    private double discriminatorLearningRate = 0.01;
    private double beta1 = 0.7;
    private double beta2 = 0.999;
    private double[] initialParameters;

    private Builder(QuantumModel model, Target target) {
      if (model == null) {
        throw new IllegalArgumentException("model must not be null");
      }
      if (target == null) {
        throw new IllegalArgumentException("target must not be null");
      }
      if (model.qubits() != target.qubits()) {
        throw new IllegalArgumentException(
            "model has " + model.qubits() + " qubits, target " + target.qubits());
      }
      checkShiftRule(model.circuit());
      this.model = model;
      this.target = target;
    }

    public Builder shots(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("shots must be >= 1, got " + value);
      }
      this.shots = value;
      return this;
    }

    public Builder seed(long value) {
      this.seed = value;
      return this;
    }

    public Builder generatorLearningRate(double value) {
      checkPositive("generatorLearningRate", value);
      this.generatorLearningRate = value;
      return this;
    }

    public Builder discriminatorLearningRate(double value) {
      checkPositive("discriminatorLearningRate", value);
      this.discriminatorLearningRate = value;
      return this;
    }

    /** Adam's moment decays for both players. */
    public Builder betas(double b1, double b2) {
      if (!(b1 >= 0 && b1 < 1)) {
        throw new IllegalArgumentException("beta1 must be in [0, 1), got " + b1);
      }
      if (!(b2 >= 0 && b2 < 1)) {
        throw new IllegalArgumentException("beta2 must be in [0, 1), got " + b2);
      }
      this.beta1 = b1;
      this.beta2 = b2;
      return this;
    }

    public Builder initialParameters(double[] value) {
      if (value == null) {
        throw new IllegalArgumentException("initialParameters must not be null");
      }
      this.initialParameters = value.clone();
      return this;
    }

    public QGanTrainer build() {
      return new QGanTrainer(this);
    }

    private static void checkPositive(String field, double value) {
      if (!(value > 0)) {
        throw new IllegalArgumentException(field + " must be > 0, got " + value);
      }
    }
  }
}

package io.qmon.producers.train;

import io.qmon.producers.sim.QuantumModel;
import io.qmon.producers.sim.ShotCounts;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Trains a quantum circuit Born machine: a parameterised circuit whose measurement distribution is
 * fitted to a target by SPSA on a sampled loss.
 *
 * <p>Each epoch takes one {@link Spsa} step, whose two loss evaluations each draw {@code shots}
 * fresh shots (the first epoch also spends {@value Spsa#CALIBRATION_STEPS} evaluation pairs
 * calibrating the learning rate unless one is given), then samples the updated circuit with {@code
 * shots} shots and reports those counts. Losses reported: the chosen loss of the reported sample
 * under its key ({@code kl}, {@code jsd} or {@code mmd}), plus {@code spsa_plus} and {@code
 * spsa_minus}, the two evaluations of the step. All randomness comes from one seed.
 */
public final class BornMachineTrainer implements Trainer {
  private final QuantumModel model;
  private final Target target;
  private final LossFunction loss;
  private final int shots;
  private final Spsa spsa;
  private final SplittableRandom samplingRng;
  private final double[] params;
  private int epoch;

  private BornMachineTrainer(Builder b) {
    this.model = b.model;
    this.target = b.target;
    this.loss = b.lossFunction != null ? b.lossFunction : LossFunction.of(b.loss, b.target);
    this.shots = b.shots;
    SplittableRandom root = new SplittableRandom(b.seed);
    SplittableRandom initRng = root.split();
    this.spsa = new Spsa(b.spsa, root.split());
    this.samplingRng = root.split();
    if (b.initialParameters != null) {
      model.circuit().checkParameters(b.initialParameters);
      this.params = b.initialParameters.clone();
    } else {
      this.params = new double[model.numParameters()];
      for (int i = 0; i < params.length; i++) {
        params[i] = (2 * initRng.nextDouble() - 1) * Math.PI;
      }
    }
  }

  /**
   * A builder for a run of {@code model} against {@code target}. Defaults: JSD loss, 1024 shots,
   * seed 0, {@link Spsa.Settings#DEFAULT}, parameters drawn uniformly from [−π, π) with the seed.
   */
  public static Builder builder(QuantumModel model, Target target) {
    return new Builder(model, target);
  }

  @Override
  public EpochResult nextEpoch() {
    double[] step = spsa.step(params, this::sampledLoss);
    ShotCounts counts = model.sample(params, shots, samplingRng);
    epoch++;
    Map<String, Double> losses = new LinkedHashMap<>();
    losses.put(loss.loss().key(), loss.evaluate(counts.frequencies()));
    losses.put("spsa_plus", step[0]);
    losses.put("spsa_minus", step[1]);
    return new EpochResult(
        epoch, model.qubits(), counts.shots(), counts.outcomes(), counts.counts(), losses, params);
  }

  @Override
  public int epoch() {
    return epoch;
  }

  /** The current parameters. */
  public double[] parameters() {
    return params.clone();
  }

  /** Exact probabilities of the current circuit, for evaluation without shot noise. */
  public double[] exactProbabilities() {
    return model.exactProbabilities(params);
  }

  public Target target() {
    return target;
  }

  private double sampledLoss(double[] probe) {
    return loss.evaluate(model.sample(probe, shots, samplingRng).frequencies());
  }

  /** Configures a {@link BornMachineTrainer}; every setter validates its argument. */
  public static final class Builder {
    private final QuantumModel model;
    private final Target target;
    private Loss loss = Loss.JSD;
    private LossFunction lossFunction;
    private int shots = 1024;
    private long seed;
    private Spsa.Settings spsa = Spsa.Settings.DEFAULT;
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
      this.model = model;
      this.target = target;
    }

    public Builder loss(Loss value) {
      if (value == null) {
        throw new IllegalArgumentException("loss must not be null");
      }
      this.loss = value;
      this.lossFunction = null;
      return this;
    }

    /** A preconfigured loss, for instance {@link LossFunction#kl(Target, double)}. */
    public Builder lossFunction(LossFunction value) {
      if (value == null) {
        throw new IllegalArgumentException("lossFunction must not be null");
      }
      this.lossFunction = value;
      return this;
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

    public Builder spsa(Spsa.Settings value) {
      if (value == null) {
        throw new IllegalArgumentException("spsa must not be null");
      }
      this.spsa = value;
      return this;
    }

    public Builder initialParameters(double[] value) {
      if (value == null) {
        throw new IllegalArgumentException("initialParameters must not be null");
      }
      this.initialParameters = value.clone();
      return this;
    }

    public BornMachineTrainer build() {
      return new BornMachineTrainer(this);
    }
  }
}

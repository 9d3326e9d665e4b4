package io.qmon.bench.eval;

import io.qmon.jobs.score.EpochScorer;
import io.qmon.metrics.Alignment;
import io.qmon.metrics.Distribution;
import io.qmon.metrics.Divergences;
import io.qmon.metrics.MetricCalculator;
import io.qmon.metrics.MetricSet;
import io.qmon.metrics.TargetModel;
import io.qmon.metrics.shift.RecentCounts;
import io.qmon.metrics.targets.ExplicitTarget;
import io.qmon.producers.sim.Entanglement;
import io.qmon.producers.sim.NoiseModel;
import io.qmon.producers.sim.QuantumModel;
import io.qmon.producers.sim.ShotSampler;
import io.qmon.producers.train.BornMachineTrainer;
import io.qmon.producers.train.EpochResult;
import io.qmon.producers.train.Loss;
import io.qmon.producers.train.QGanTrainer;
import io.qmon.producers.train.Spsa;
import io.qmon.producers.train.Target;
import io.qmon.producers.train.Trainer;
import io.qmon.producers.worker.AnsatzKind;
import io.qmon.producers.worker.InitKind;
import io.qmon.producers.worker.ModelKind;
import io.qmon.producers.worker.TargetEvents;
import io.qmon.producers.worker.TargetKind;
import io.qmon.schemas.LongArrayList;
import io.qmon.schemas.MetricRecord;
import io.qmon.schemas.ShotCounts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Trains one stream case with the producers' real trainers (statevector simulation, shot sampling,
 * SPSA or Adam), injects its fault from the fault epoch on, and scores every epoch with the job's
 * own {@link EpochScorer}: the records are the ones the job's detectors would see (the trainer's
 * losses included, as the producers publish them). It also keeps, per epoch, the exact JSD of the
 * output the shots were drawn from, which no detector sees.
 *
 * <p>Faults that change the optimiser (divergence, oscillation, barren plateau) change the trainer
 * itself; faults of the hardware or the generator's output (noise drift, shots drop, mode collapse)
 * resample the epoch's shots from the model's current probabilities, transformed.
 */
final class StreamSimulator {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private static final double DIVERGING_SPSA_A = 10.0;
  private static final double DIVERGING_ADAM_RATE = 2.0;
  private static final double STALLED_SPSA_A = 1e-4;
  private static final double STALLED_ADAM_RATE = 1e-5;
  private static final int SHOTS_DROP_FACTOR = 8;
  private static final int NOISE_RAMP_EPOCHS = 5;

  private final MetricCalculator calculator;
  private final EpochScorer scorer;

  StreamSimulator(MetricCalculator calculator) {
    this.calculator = calculator;
    this.scorer = new EpochScorer(calculator);
  }

  LabelledStream simulate(StreamCase c) {
    TargetKind targetKind = targetOf(c);
    Target target = targetKind.target(c.qubits());
    TargetModel targetModel =
        EpochScorer.toTarget(TargetEvents.toEvent(targetKind.id(c.qubits()), target));
    NoiseModel noise =
        c.depolarising() > 0 || c.readoutFlip() > 0
            ? NoiseModel.uniform(c.qubits(), c.depolarising(), c.readoutFlip())
            : NoiseModel.NONE;
    boolean qgan = c.model() == ModelKind.QGAN;
    QuantumModel model =
        new QuantumModel(
            InitKind.UNIFORM.state(c.qubits(), c.seed()),
            qgan
                ? AnsatzKind.QGAN_GENERATOR.circuit(c.qubits(), 2, Entanglement.LINEAR)
                : AnsatzKind.REAL_AMPLITUDES.circuit(c.qubits(), 2, Entanglement.LINEAR),
            noise);
    double rate = c.fault() == Fault.BARREN_PLATEAU ? stalledRate(qgan) : c.learningRate();
    Trainer trainer = trainer(model, target, c, rate, null, 0);
    ShotSampler sampler = new ShotSampler();
    SplittableRandom faultRng = new SplittableRandom(c.seed() * 31 + 7);
    List<MetricRecord> records = new ArrayList<>(c.epochs());
    RecentCounts recent = RecentCounts.withDefaults();
    double driftOverFloor = Double.NaN;
    double[] exactJsd = new double[c.epochs()];
    for (int epoch = 1; epoch <= c.epochs(); epoch++) {
      boolean faulty = !c.healthy() && epoch >= c.faultEpoch();
      if (faulty && epoch == c.faultEpoch()) {
        if (c.fault() == Fault.DIVERGENCE) {
          trainer =
              trainer(
                  model,
                  target,
                  c,
                  qgan ? DIVERGING_ADAM_RATE : DIVERGING_SPSA_A,
                  parameters(trainer),
                  1);
        } else if (c.fault() == Fault.QGAN_OSCILLATION) {
          trainer = oscillatingQgan(model, target, c, parameters(trainer));
        }
      }
      EpochResult r = trainer.nextEpoch();
      double[] drawnFrom = model.noisyProbabilities(parameters(trainer));
      long[] outcomes = r.outcomes();
      long[] counts = r.counts();
      int shots = c.shots();
      if (faulty && resamples(c.fault())) {
        double[] p = drawnFrom.clone();
        if (c.fault() == Fault.SHOTS_DROP) {
          shots = Math.max(16, c.shots() / SHOTS_DROP_FACTOR);
        } else if (c.fault() == Fault.NOISE_DRIFT) {
          if (epoch == c.faultEpoch()) {
            driftOverFloor =
                driftOverFloor(
                    calculator, c.runId() + "-output", c.qubits(), p, c.strength(), c.shots());
          }
          double ramp = Math.min(1.0, (epoch - c.faultEpoch() + 1.0) / NOISE_RAMP_EPOCHS);
          mixTowardsUniform(p, c.strength() * ramp);
        } else {
          collapse(p);
        }
        drawnFrom = p;
        io.qmon.producers.sim.ShotCounts drawn = sampler.sample(p, shots, noise, faultRng);
        outcomes = drawn.outcomes();
        counts = drawn.counts();
      }
      ShotCounts event =
          ShotCounts.newBuilder()
              .setRunId(c.runId())
              .setProducerId("eval-detectors")
              .setProducerSession(null)
              .setSeq(epoch)
              .setEpoch(epoch)
              .setEventTime(START.plusSeconds(epoch))
              .setQubits(c.qubits())
              .setShots(shots)
              .setOutcomes(LongArrayList.wrap(outcomes))
              .setCounts(LongArrayList.wrap(counts))
              .setLosses(r.losses())
              .build();
      records.add(scorer.score(event, targetModel, START.plusSeconds(epoch), recent));
      exactJsd[epoch - 1] =
          Divergences.jensenShannon(
              Alignment.of(targetModel, Distribution.dense(c.qubits(), drawnFrom)));
    }
    return new LabelledStream(c, records, driftOverFloor, exactJsd);
  }

  /**
   * JSD between an output p (over 2^qubits outcomes) and p drifted at strength λ, over the upper
   * JSD shot-noise floor of one N-shot sample of p: the calculator's own floor, with p as the
   * target. Above 1, one epoch's shots can tell the drift from sampling noise.
   */
  static double driftOverFloor(
      MetricCalculator calculator, String id, int qubits, double[] p, double lambda, int shots) {
    double[] drifted = p.clone();
    mixTowardsUniform(drifted, lambda);
    TargetModel output = ExplicitTarget.of(id, Distribution.dense(qubits, p));
    MetricSet m = calculator.compute(output, Distribution.dense(qubits, drifted), shots);
    return m.jsd() / m.floors().jsd().upper();
  }

  private static boolean resamples(Fault fault) {
    return fault == Fault.SHOTS_DROP || fault == Fault.NOISE_DRIFT || fault == Fault.MODE_COLLAPSE;
  }

  private static double stalledRate(boolean qgan) {
    return qgan ? STALLED_ADAM_RATE : STALLED_SPSA_A;
  }

  private static TargetKind targetOf(StreamCase c) {
    TargetKind[] kinds = {TargetKind.NORMAL, TargetKind.BIMODAL, TargetKind.LOG_NORMAL};
    return kinds[(int) Math.floorMod(c.seed(), kinds.length)];
  }

  private static Trainer trainer(
      QuantumModel model, Target target, StreamCase c, double rate, double[] start, long reseed) {
    long seed = c.seed() + 1_000_003L * reseed;
    if (c.model() == ModelKind.QGAN) {
      QGanTrainer.Builder b = QGanTrainer.builder(model, target).shots(c.shots()).seed(seed);
      if (!Double.isNaN(rate)) {
        b.generatorLearningRate(rate).discriminatorLearningRate(rate);
      }
      if (start != null) {
        b.initialParameters(start);
      }
      return b.build();
    }
    BornMachineTrainer.Builder b =
        BornMachineTrainer.builder(model, target).loss(Loss.JSD).shots(c.shots()).seed(seed);
    if (!Double.isNaN(rate)) {
      b.spsa(Spsa.Settings.DEFAULT.withA(rate));
    }
    if (start != null) {
      b.initialParameters(start);
    }
    return b.build();
  }

  /** Tenfold learning rates and heavy momentum: the players overshoot each other and cycle. */
  private static Trainer oscillatingQgan(
      QuantumModel model, Target target, StreamCase c, double[] start) {
    double rate = 10 * (Double.isNaN(c.learningRate()) ? 0.01 : c.learningRate());
    return QGanTrainer.builder(model, target)
        .shots(c.shots())
        .seed(c.seed() + 2_000_003L)
        .generatorLearningRate(rate)
        .discriminatorLearningRate(rate)
        .betas(0.95, 0.999)
        .initialParameters(start)
        .build();
  }

  private static double[] parameters(Trainer trainer) {
    if (trainer instanceof BornMachineTrainer born) {
      return born.parameters();
    }
    return ((QGanTrainer) trainer).parameters();
  }

  /** p ↦ (1−λ)p + λ/2^n: the global depolarising channel, what drifting hardware noise does. */
  static void mixTowardsUniform(double[] p, double lambda) {
    double uniform = lambda / p.length;
    for (int i = 0; i < p.length; i++) {
      p[i] = (1 - lambda) * p[i] + uniform;
    }
  }

  /**
   * Keeps the most likely outcomes holding half the mass, renormalised: the generator collapses.
   */
  static void collapse(double[] p) {
    Integer[] order = new Integer[p.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(p[b], p[a]));
    double kept = 0;
    boolean[] keep = new boolean[p.length];
    for (Integer i : order) {
      keep[i] = true;
      kept += p[i];
      if (kept >= 0.5) {
        break;
      }
    }
    for (int i = 0; i < p.length; i++) {
      p[i] = keep[i] ? p[i] / kept : 0;
    }
  }
}

package io.qmon.producers.sweep;

import io.qmon.producers.sdk.QmonPublisher;
import io.qmon.producers.sdk.RunPublisher;
import io.qmon.producers.sdk.RunSpec;
import io.qmon.producers.train.Trainer;
import io.qmon.producers.worker.SimulatedRun;
import io.qmon.producers.worker.SimulatedRunSpec;
import io.qmon.schemas.Advice;
import io.qmon.schemas.AdviceKind;
import io.qmon.schemas.RunStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Trains one run per sweep configuration (repeat 0) under {@link SuccessiveHalving}, on live
 * figures: the levels come from the job's metric records ({@link Levels}), and with {@code
 * useAdvice} each run checks its advice after every epoch: CONVERGED_AT_NOISE_FLOOR stops it and
 * sends it to the final ranking with its level (more epochs cannot be measured to help);
 * BARREN_PLATEAU, DIVERGING and COLLAPSED stop it and drop it. Runs are deterministic per seed, so
 * a run stopped early is a prefix of the same configuration run to the end.
 */
public final class HalvingSweep {
  /** The job's view of a run: the median JSD of its last k scored epochs up to an epoch. */
  @FunctionalInterface
  public interface Levels {
    /** Waits until the job has scored {@code epoch} of {@code runId}, then returns its level. */
    double level(String runId, int epoch, Duration timeout) throws InterruptedException;
  }

  /** One configuration's run and how it ended. */
  public record Outcome(
      String configId, String runId, int epochs, long shots, double level, String ended) {}

  /** The sweep's outcome: every run, the rungs, and the chosen configuration. */
  public record Result(List<Outcome> outcomes, List<Integer> rungs, Outcome best) {
    public long shots() {
      return outcomes.stream().mapToLong(Outcome::shots).sum();
    }

    public long epochs() {
      return outcomes.stream().mapToLong(Outcome::epochs).sum();
    }
  }

  private static final class Live {
    final SimulatedRunSpec spec;
    final Trainer trainer;
    final RunPublisher run;
    double level = Double.NaN;
    String ended;
    boolean converged;

    Live(SimulatedRunSpec spec, RunPublisher run) {
      this.spec = spec;
      this.trainer = new SimulatedRun(spec).trainer();
      this.run = run;
    }
  }

  private final SweepConfig config;
  private final SuccessiveHalving rule;
  private final boolean useAdvice;
  private final Duration levelTimeout;

  /**
   * @param rule the halving rule; {@code null}: no halving, every configuration to the end (the
   *     baseline the measurement compares against)
   */
  public HalvingSweep(
      SweepConfig config, SuccessiveHalving rule, boolean useAdvice, Duration levelTimeout) {
    this.config = config;
    this.rule = rule;
    this.useAdvice = useAdvice;
    this.levelTimeout = levelTimeout;
  }

  public Result run(QmonPublisher publisher, String session, Levels levels)
      throws InterruptedException {
    List<SimulatedRunSpec> specs =
        config.runSpecs(session).stream().filter(s -> s.repeatIndex() == 0).toList();
    SweepRunner.publishTargets(publisher, specs);
    List<Integer> rungs = rule == null ? List.of(config.epochs()) : rule.rungs(specs.size());
    List<Live> all = new ArrayList<>();
    for (SimulatedRunSpec spec : specs) {
      all.add(
          new Live(
              spec,
              publisher.startRun(RunSpec.of(spec.runId(), new SimulatedRun(spec).startEvent()))));
    }
    List<Live> active = new ArrayList<>(all);
    ExecutorService pool =
        Executors.newFixedThreadPool(config.parallelWorkers(), SweepRunner.threads());
    try {
      for (int r = 0; r < rungs.size(); r++) {
        int rung = rungs.get(r);
        trainTo(pool, active, rung);
        for (Live live : active) {
          live.level = levels.level(live.run.runId(), live.trainer.epoch(), levelTimeout);
        }
        List<Live> going = new ArrayList<>();
        for (Live live : active) {
          if (live.ended == null) {
            going.add(live);
          }
        }
        boolean last = r == rungs.size() - 1;
        List<Live> kept =
            last || rule == null
                ? going
                : rule.keep(going, Comparator.comparingDouble((Live l) -> l.level));
        for (Live live : going) {
          if (last) {
            live.ended = "ran all " + rung + " epochs";
            live.run.finish(RunStatus.SUCCEEDED, null);
          } else if (!kept.contains(live)) {
            live.ended = "halved out at epoch " + rung;
            live.run.finish(
                RunStatus.KILLED,
                "successive halving: level "
                    + String.format(java.util.Locale.ROOT, "%.4f", live.level)
                    + " not among the best "
                    + kept.size()
                    + " of "
                    + going.size()
                    + " at epoch "
                    + rung);
          }
        }
        active = kept;
        if (active.isEmpty()) {
          break;
        }
      }
    } finally {
      pool.shutdownNow();
    }
    List<Outcome> outcomes = new ArrayList<>();
    Outcome best = null;
    for (Live live : all) {
      int epochs = live.trainer.epoch();
      Outcome o =
          new Outcome(
              live.spec.configId(),
              live.run.runId(),
              epochs,
              (long) epochs * live.spec.shots(),
              live.level,
              live.ended);
      outcomes.add(o);
      boolean finalist = live.converged || live.ended.startsWith("ran all");
      if (finalist && (best == null || o.level() < best.level())) {
        best = o;
      }
    }
    return new Result(outcomes, rungs, best);
  }

  private void trainTo(ExecutorService pool, List<Live> runs, int rung)
      throws InterruptedException {
    List<Future<?>> futures = new ArrayList<>();
    for (Live live : runs) {
      if (live.ended == null) {
        futures.add(pool.submit(() -> train(live, rung)));
      }
    }
    for (Future<?> f : futures) {
      try {
        f.get();
      } catch (ExecutionException e) {
        throw new IllegalStateException("a sweep run failed: " + e.getCause(), e.getCause());
      }
    }
  }

  private void train(Live live, int rung) {
    while (live.trainer.epoch() < rung) {
      live.run.publishEpoch(live.trainer.nextEpoch());
      if (useAdvice && live.run.shouldStop()) {
        Advice stop = live.run.advice().stream().filter(Advice::getStop).findFirst().orElseThrow();
        live.converged = stop.getKind() == AdviceKind.CONVERGED_AT_NOISE_FLOOR;
        live.ended =
            "advice "
                + stop.getKind()
                + " at epoch "
                + stop.getEpoch()
                + ", stopped at epoch "
                + live.trainer.epoch();
        live.run.finish(RunStatus.SUCCEEDED, live.ended);
        return;
      }
    }
  }
}

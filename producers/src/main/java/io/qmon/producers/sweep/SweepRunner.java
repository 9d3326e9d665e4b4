package io.qmon.producers.sweep;

import io.qmon.producers.sdk.QmonPublisher;
import io.qmon.producers.worker.SimulatedRun;
import io.qmon.producers.worker.SimulatedRunSpec;
import io.qmon.producers.worker.TargetEvents;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs every run of a sweep on a bounded pool of {@code parallel_workers} threads, all publishing
 * through one shared {@link QmonPublisher}. Publishes each target the sweep needs first. A run that
 * fails is reported (and published as FAILED) without stopping the others; interrupting the caller
 * stops the pool, and the runs in flight are published as KILLED.
 */
public final class SweepRunner {
  private final SweepConfig config;

  public SweepRunner(SweepConfig config) {
    this.config = config;
  }

  /** Trains and publishes every run; returns one report per run, in the sweep's order. */
  public List<RunReport> run(QmonPublisher publisher, String session) throws InterruptedException {
    List<SimulatedRunSpec> specs = config.runSpecs(session);
    publishTargets(publisher, specs);
    ExecutorService pool = Executors.newFixedThreadPool(config.parallelWorkers(), threads());
    try {
      List<Future<Integer>> futures = new ArrayList<>();
      for (SimulatedRunSpec spec : specs) {
        futures.add(pool.submit(() -> new SimulatedRun(spec).trainAndPublish(publisher)));
      }
      List<RunReport> reports = new ArrayList<>();
      for (int i = 0; i < specs.size(); i++) {
        SimulatedRunSpec spec = specs.get(i);
        try {
          int epochs = futures.get(i).get();
          reports.add(report(spec, epochs, null));
        } catch (ExecutionException e) {
          reports.add(report(spec, 0, String.valueOf(e.getCause())));
        }
      }
      return reports;
    } finally {
      pool.shutdownNow();
    }
  }

  static void publishTargets(QmonPublisher publisher, List<SimulatedRunSpec> specs) {
    Map<String, SimulatedRunSpec> byTarget = new LinkedHashMap<>();
    specs.forEach(s -> byTarget.putIfAbsent(s.targetId(), s));
    byTarget.forEach(
        (id, spec) ->
            publisher.publishTarget(
                TargetEvents.toEvent(id, spec.model().target().target(spec.qubits()))));
  }

  private static RunReport report(SimulatedRunSpec spec, int epochs, String error) {
    return new RunReport(spec.runId(), spec.configId(), spec.repeatIndex(), epochs, error);
  }

  static java.util.concurrent.ThreadFactory threads() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "qmon-sweep-worker-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}

package io.qmon.bench;

import io.qmon.schemas.Topics;
import io.qmon.stack.EmbeddedStack;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one workload against a started stack and job: warm-up, the saturated run, the paced run and
 * the Kafka ceiling with the saturated run's records.
 *
 * <p>The warm-up publishes the target, starts every run of every phase and scores their first
 * epoch, then pushes a share of the saturated run's volume through warm-up runs of its own, so the
 * timed phases measure steady state: schemas registered, target broadcast, run state present and
 * the JIT of the job and of the broker warm.
 */
final class WorkloadBench {
  private static final Duration WARM_UP_TIMEOUT = Duration.ofMinutes(3);

  private final EmbeddedStack stack;
  private final BenchOptions options;
  private final Workload workload;
  private final String prefix;
  private final EventFactory factory;
  private final PrintStream out;

  /** Everything one workload measured. */
  record Result(
      Workload workload, PhaseResult saturated, PhaseResult paced, KafkaCeiling.Result ceiling) {}

  WorkloadBench(
      EmbeddedStack stack,
      BenchOptions options,
      Workload workload,
      String session,
      PrintStream out) {
    this.stack = stack;
    this.options = options;
    this.workload = workload;
    this.prefix = "bench-" + session + "-" + workload.label() + "-";
    this.factory =
        new EventFactory(
            stack.schemaRegistry(), workload, "qmon-bench-" + session, session.hashCode());
    this.out = out;
  }

  /** Runs every phase; {@code sink} sees the saturated run's circuit outputs. */
  Result run(CircuitOutputSink sink, int partitions) throws InterruptedException {
    List<String> saturatedRuns = runIds("sat");
    List<String> pacedRuns = runIds("paced");
    List<String> warmRuns = runIds("warm");
    try (RawProducer producer = new RawProducer(stack.bootstrapServers(), "qmon-bench")) {
      warmUp(producer, List.of(saturatedRuns, pacedRuns, warmRuns));
      int warmEvents = options.warmupEvents(workload);
      if (warmEvents > 0) {
        int[] warmEpochs = new int[warmRuns.size()];
        List<PreparedEvent> warm =
            prepare(warmRuns, warmEvents, warmEpochs, CircuitOutputSink.NONE);
        out.printf("  %s: warm-up run, %d events (JIT) ...%n", workload.label(), warmEvents);
        PhaseResult warmResult =
            timed(producer, prefix + "warm-", warm, 0, Duration.ofSeconds(120 + warmEvents / 500));
        out.printf(
            "  %s: warm-up run took %.1f s (%.0f events/s, not reported)%n",
            workload.label(), warmResult.seconds(), warmResult.eventsPerSecond());
        finish(producer, warmRuns, warmEpochs);
      }

      int events = options.events(workload);
      out.printf("  %s: preparing %d events ...%n", workload.label(), events);
      int[] saturatedEpochs = new int[saturatedRuns.size()];
      List<PreparedEvent> saturated = prepare(saturatedRuns, events, saturatedEpochs, sink);
      out.printf(
          "  %s: saturated run, %d events as fast as possible ...%n", workload.label(), events);
      PhaseResult saturatedResult =
          timed(producer, prefix + "sat-", saturated, 0, Duration.ofSeconds(120 + events / 500));
      finish(producer, saturatedRuns, saturatedEpochs);

      int[] pacedEpochs = new int[pacedRuns.size()];
      List<PreparedEvent> paced =
          prepare(pacedRuns, options.pacedEvents(workload), pacedEpochs, CircuitOutputSink.NONE);
      out.printf(
          "  %s: paced run, %d events at %d/s ...%n",
          workload.label(), paced.size(), options.rate(workload));
      PhaseResult pacedResult =
          timed(
              producer,
              prefix + "paced-",
              paced,
              options.rate(workload),
              Duration.ofSeconds(120 + options.pacedSeconds()));
      finish(producer, pacedRuns, pacedEpochs);

      out.printf("  %s: Kafka ceiling with the same %d records ...%n", workload.label(), events);
      KafkaCeiling.Result ceiling =
          KafkaCeiling.measure(
              stack.bootstrapServers(),
              saturated,
              partitions,
              Duration.ofSeconds(120 + events / 500));
      return new Result(workload, saturatedResult, pacedResult, ceiling);
    }
  }

  private List<String> runIds(String phase) {
    List<String> ids = new ArrayList<>();
    for (int r = 0; r < options.runs(); r++) {
      ids.add(String.format("%s%s-r%03d", prefix, phase, r));
    }
    return ids;
  }

  private void warmUp(RawProducer producer, List<List<String>> phases) throws InterruptedException {
    List<String> all = new ArrayList<>();
    phases.forEach(all::addAll);
    out.printf(
        "  %s: warm-up (target, %d run starts, first epochs) ...%n", workload.label(), all.size());
    try (OutputCollector collector =
        new OutputCollector(stack.bootstrapServers(), stack.schemaRegistry(), prefix, all.size())) {
      producer.send(factory.targetRecord());
      all.forEach(run -> producer.send(factory.startRecord(run)));
      List<PreparedEvent> first = new ArrayList<>();
      all.forEach(run -> first.add(factory.epoch(run, 1, CircuitOutputSink.NONE)));
      producer.sendAll(Topics.SHOTS, first);
      producer.flush();
      if (!collector.await(WARM_UP_TIMEOUT)) {
        throw new IllegalStateException(
            "Warm-up: the job scored "
                + collector.received()
                + " of "
                + all.size()
                + " first epochs within "
                + WARM_UP_TIMEOUT
                + "; see .qmon/logs");
      }
    }
  }

  /** {@code count} events, epoch-major over the runs (epochs from 2; 1 was the warm-up). */
  private List<PreparedEvent> prepare(
      List<String> runs, int count, int[] lastEpochs, CircuitOutputSink sink) {
    List<PreparedEvent> events = new ArrayList<>(count);
    for (int epoch = 2; events.size() < count; epoch++) {
      for (int r = 0; r < runs.size() && events.size() < count; r++) {
        events.add(factory.epoch(runs.get(r), epoch, sink));
        lastEpochs[r] = epoch;
      }
    }
    return events;
  }

  /** Publishes the events (paced when {@code rate} > 0) and waits for their metric records. */
  private PhaseResult timed(
      RawProducer producer,
      String runPrefix,
      List<PreparedEvent> events,
      int rate,
      Duration timeout)
      throws InterruptedException {
    try (OutputCollector collector =
        new OutputCollector(
            stack.bootstrapServers(), stack.schemaRegistry(), runPrefix, events.size())) {
      long start = System.nanoTime();
      if (rate > 0) {
        producer.sendPaced(Topics.SHOTS, events, rate);
      } else {
        producer.sendAll(Topics.SHOTS, events);
      }
      producer.flush();
      boolean complete = collector.await(timeout);
      long end = complete ? collector.completedAtNanos() : System.nanoTime();
      return new PhaseResult(
          events.size(),
          collector.received(),
          (end - start) / 1e9,
          collector.endToEnd(),
          collector.jobInternal(),
          collector.toAlert(),
          collector.meanJsd(),
          collector.meanFidelity());
    }
  }

  private void finish(RawProducer producer, List<String> runs, int[] lastEpochs) {
    for (int r = 0; r < runs.size(); r++) {
      producer.send(factory.finishRecord(runs.get(r), Math.max(1, lastEpochs[r])));
    }
    producer.flush();
  }
}

package io.qmon.launcher.sweep;

import io.qmon.producers.sdk.QmonPublisher;
import io.qmon.producers.sweep.RunReport;
import io.qmon.producers.sweep.SweepConfig;
import io.qmon.producers.sweep.SweepConfigReader;
import io.qmon.producers.sweep.SweepRunner;
import io.qmon.schemas.MetricRecord;
import io.qmon.schemas.serde.RestSchemaRegistry;
import io.qmon.stack.EmbeddedStack;
import io.qmon.stack.StackSettings;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code qmon sweep <config.json>}: trains every combination of a sweep configuration in parallel,
 * each as its own run tagged with its config id and repeat index, against the given cluster or a
 * freshly started embedded stack with the monitoring job, then prints a per-configuration summary
 * of the final JSD read back from qgm.metrics.
 */
public final class SweepCommand {
  private SweepCommand() {}

  /**
   * @return 0 when every run finished and was scored, 1 otherwise
   */
  public static int run(SweepOptions options, PrintStream out) throws Exception {
    SweepConfig config = SweepConfigReader.read(options.config());
    if (options.gracePeriod() > config.epochs()) {
      throw new IllegalArgumentException(
          "--grace-period "
              + options.gracePeriod()
              + " is beyond the sweep's "
              + config.epochs()
              + " epochs");
    }
    String session = UUID.randomUUID().toString().substring(0, 8);
    if (options.external()) {
      return sweep(
          config, session, options.bootstrapServers(), options.schemaRegistryUrl(), options, out);
    }
    out.println("qmon sweep: starting the embedded stack and the monitoring job ...");
    try (EmbeddedStack stack = EmbeddedStack.start(StackSettings.fromSystemProperties())) {
      stack.startMonitoringJob(stack.jobConfig(Map.of("kafka.group-id", "qmon-sweep-" + session)));
      return sweep(
          config, session, stack.bootstrapServers(), stack.schemaRegistryUrl(), options, out);
    }
  }

  private static int sweep(
      SweepConfig config,
      String session,
      String bootstrapServers,
      String registryUrl,
      SweepOptions options,
      PrintStream out)
      throws InterruptedException {
    if (options.halving()) {
      return HalvingReport.run(config, session, bootstrapServers, registryUrl, options, out);
    }
    out.printf(
        "qmon sweep %s: %d configurations x %d repeats = %d runs of %d epochs on %d workers%n",
        session,
        config.points().size(),
        config.repeats(),
        config.runCount(),
        config.epochs(),
        config.parallelWorkers());
    long start = System.nanoTime();
    List<RunReport> reports;
    try (QmonPublisher publisher =
        QmonPublisher.builder()
            .bootstrapServers(bootstrapServers)
            .schemaRegistryUrl(registryUrl)
            .producerId("qmon-sweep-" + session)
            .build()) {
      reports = new SweepRunner(config).run(publisher, session);
      publisher.flush();
    }
    out.printf(
        "trained and published %d runs in %.1f s; waiting for their final metrics ...%n",
        reports.size(), (System.nanoTime() - start) / 1e9);
    Map<String, Integer> lastEpochs = new HashMap<>();
    reports.stream()
        .filter(RunReport::succeeded)
        .forEach(r -> lastEpochs.put(r.runId(), r.epochs()));
    Map<String, MetricRecord> finals =
        FinalMetricsReader.read(
            bootstrapServers,
            new RestSchemaRegistry(registryUrl),
            lastEpochs,
            options.metricsTimeout());
    int missing = SweepSummary.print(reports, finals, out);
    return missing == 0 ? 0 : 1;
  }
}

package io.qmon.launcher.sweep;

import io.qmon.metrics.advice.AdviceSettings;
import io.qmon.producers.sdk.QmonPublisher;
import io.qmon.producers.sweep.HalvingSweep;
import io.qmon.producers.sweep.SuccessiveHalving;
import io.qmon.producers.sweep.SweepConfig;
import io.qmon.schemas.serde.RestSchemaRegistry;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code qmon sweep --halving}: one run per configuration under successive halving on the job's
 * live metrics and advice, then every configuration run to the end with the same seeds (the
 * baseline), and what halving spent and chose against it.
 */
final class HalvingReport {
  private HalvingReport() {}

  static int run(
      SweepConfig config,
      String session,
      String bootstrapServers,
      String registryUrl,
      SweepOptions options,
      PrintStream out)
      throws InterruptedException {
    int k = AdviceSettings.DEFAULTS.smoothingEpochs();
    SuccessiveHalving rule =
        new SuccessiveHalving(
            options.eta(), k, config.epochs(), Math.max(k, options.gracePeriod()));
    int configurations = config.points().size();
    out.printf(
        "qmon sweep %s --halving: %d configurations (one run each), eta %d, rungs %s epochs;"
            + " level = median JSD of a run's last %d epochs as the job scored them; at each rung"
            + " the best ceil(m/eta) go on; advice CONVERGED_AT_NOISE_FLOOR stops a run and sends"
            + " it to the final ranking, BARREN_PLATEAU / DIVERGING / COLLAPSED stop and drop it%n",
        session, configurations, options.eta(), rule.rungs(configurations), k);
    HalvingSweep.Result halved;
    HalvingSweep.Result full;
    long start = System.nanoTime();
    try (QmonPublisher publisher =
            QmonPublisher.builder()
                .bootstrapServers(bootstrapServers)
                .schemaRegistryUrl(registryUrl)
                .producerId("qmon-sweep-" + session)
                .build();
        LiveLevels levels =
            new LiveLevels(bootstrapServers, new RestSchemaRegistry(registryUrl), session, k)) {
      halved =
          new HalvingSweep(config, rule, true, options.metricsTimeout())
              .run(publisher, session + "-sh", levels);
      double halvingSeconds = (System.nanoTime() - start) / 1e9;
      out.printf(
          "halving done in %.1f s; now every configuration to the end ...%n", halvingSeconds);
      full =
          new HalvingSweep(config, null, false, options.metricsTimeout())
              .run(publisher, session + "-full", levels);
      publisher.flush();
    }
    Map<String, HalvingSweep.Outcome> fullByConfig = new HashMap<>();
    full.outcomes().forEach(o -> fullByConfig.put(o.configId(), o));
    int width = halved.outcomes().stream().mapToInt(o -> o.configId().length()).max().orElse(10);
    out.printf(
        "%-" + width + "s  %6s  %8s  %-50s  %6s  %8s%n",
        "config_id",
        "epochs",
        "level",
        "halving: how the run ended",
        "full",
        "level");
    for (HalvingSweep.Outcome o : halved.outcomes()) {
      HalvingSweep.Outcome f = fullByConfig.get(o.configId());
      out.printf(
          "%-" + width + "s  %6d  %8.4f  %-50s  %6d  %8.4f%n",
          o.configId(),
          o.epochs(),
          o.level(),
          o.ended(),
          f.epochs(),
          f.level());
    }
    long shotsSaved = full.shots() - halved.shots();
    out.printf(
        "spent: halving %,d shots in %,d epochs; every configuration to the end %,d shots in %,d"
            + " epochs; saved %,d shots (%.1f%%)%n",
        halved.shots(),
        halved.epochs(),
        full.shots(),
        full.epochs(),
        shotsSaved,
        100.0 * shotsSaved / full.shots());
    boolean same = halved.best() != null && halved.best().configId().equals(full.best().configId());
    out.printf(
        "best: halving %s (level %.4f); run to the end %s (level %.4f): %s%n",
        halved.best() == null ? "none" : halved.best().configId(),
        halved.best() == null ? Double.NaN : halved.best().level(),
        full.best().configId(),
        full.best().level(),
        same ? "the same configuration" : "a different configuration");
    if (!same && halved.best() != null) {
      HalvingSweep.Outcome chosenInFull = fullByConfig.get(halved.best().configId());
      out.printf(
          "halving's choice run to the end reaches level %.4f (%.4f above the best)%n",
          chosenInFull.level(), chosenInFull.level() - full.best().level());
    }
    return halved.best() == null ? 1 : 0;
  }
}

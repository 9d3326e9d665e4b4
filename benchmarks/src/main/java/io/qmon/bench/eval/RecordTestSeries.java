package io.qmon.bench.eval;

import io.qmon.metrics.MetricCalculator;
import io.qmon.metrics.MetricNames;
import io.qmon.producers.worker.ModelKind;
import io.qmon.schemas.MetricRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Records the short series the detectors' unit tests replay (metrics/src/test/resources), from the
 * same simulator as the benchmark: a Born machine on 3 qubits, 2048 shots, calibrated SPSA, seed 3,
 * healthy and with a fault at epoch 60. "Healed" series splice the healthy stream back in after
 * epoch 70 (the trainer's own randomness is untouched by the output faults, so both streams share
 * one trajectory). Usage: {@code RecordTestSeries <directory>}.
 */
public final class RecordTestSeries {
  private RecordTestSeries() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    Files.createDirectories(dir);
    StreamSimulator sim = new StreamSimulator(MetricCalculator.withDefaults());
    List<MetricRecord> healthy = sim.simulate(born(Fault.NONE)).records();
    List<MetricRecord> drop = sim.simulate(born(Fault.SHOTS_DROP)).records();
    List<MetricRecord> diverging = sim.simulate(born(Fault.DIVERGENCE)).records();
    List<MetricRecord> collapse = sim.simulate(born(Fault.MODE_COLLAPSE)).records();
    write(dir.resolve("converged.csv"), healthy);
    write(dir.resolve("shots-drop-healed.csv"), splice(drop, healthy, 70));
    write(dir.resolve("divergence.csv"), diverging);
    write(dir.resolve("mode-collapse-healed.csv"), splice(collapse, healthy, 70));
    writeShifts(dir.resolve("converged-shift.csv"), healthy);
    writeShifts(
        dir.resolve("noise-drift-shift.csv"),
        sim.simulate(
                new StreamCase(
                    0,
                    ModelKind.BORN_MACHINE,
                    3,
                    2048,
                    Double.NaN,
                    3,
                    0,
                    0,
                    100,
                    Fault.NOISE_DRIFT,
                    60,
                    0.5))
            .records());
  }

  /**
   * The shift scores of each epoch, the uniform share and the score towards the target (empty when
   * the record has none), for the shift detectors.
   */
  private static void writeShifts(Path file, List<MetricRecord> records) throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add(
        "epoch,window_shift,window_shift_uniform,window_shift_uniform_share,window_shift_target");
    for (MetricRecord r : records) {
      lines.add(
          r.getLastEpoch()
              + ","
              + cell(r.getMetrics().get(MetricNames.WINDOW_SHIFT))
              + ","
              + cell(r.getMetrics().get(MetricNames.WINDOW_SHIFT_UNIFORM))
              + ","
              + cell(r.getMetrics().get(MetricNames.WINDOW_SHIFT_UNIFORM_SHARE))
              + ","
              + cell(r.getMetrics().get(MetricNames.WINDOW_SHIFT_TARGET)));
    }
    Files.write(file, lines);
  }

  private static String cell(Double value) {
    return value == null ? "" : String.format(Locale.ROOT, "%.6g", value);
  }

  private static StreamCase born(Fault fault) {
    return new StreamCase(
        0, ModelKind.BORN_MACHINE, 3, 2048, Double.NaN, 3, 0, 0, 100, fault, 60, 0);
  }

  private static List<MetricRecord> splice(
      List<MetricRecord> faulty, List<MetricRecord> healthy, int lastFaulty) {
    List<MetricRecord> out = new ArrayList<>(faulty.subList(0, lastFaulty));
    out.addAll(healthy.subList(lastFaulty, healthy.size()));
    return out;
  }

  private static void write(Path file, List<MetricRecord> records) throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add("epoch,shots,jsd,jsd_floor,jsd_expected,coverage,entropy_normalised");
    for (MetricRecord r : records) {
      lines.add(
          String.format(
              Locale.ROOT,
              "%d,%d,%.6g,%.6g,%.6g,%.6g,%.6g",
              r.getLastEpoch(),
              r.getShots(),
              r.getMetrics().get(MetricNames.JSD),
              r.getNoiseFloors().get(MetricNames.JSD),
              r.getNoiseFloors().get(MetricNames.JSD + "_expected"),
              r.getMetrics().get(MetricNames.COVERAGE),
              r.getMetrics().get(MetricNames.ENTROPY_NORMALISED)));
    }
    Files.write(file, lines);
  }
}

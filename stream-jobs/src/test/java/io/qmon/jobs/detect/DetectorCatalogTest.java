package io.qmon.jobs.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qmon.metrics.MetricNames;
import io.qmon.metrics.detect.AlertDecision;
import io.qmon.metrics.detect.CusumDetector;
import io.qmon.metrics.detect.Detector;
import io.qmon.metrics.detect.Direction;
import io.qmon.metrics.detect.DistributionShiftDetector;
import io.qmon.metrics.detect.EwmaDetector;
import io.qmon.metrics.detect.ModeCollapseDetector;
import io.qmon.metrics.detect.NoiseFloorDetector;
import io.qmon.metrics.detect.Observation;
import io.qmon.metrics.detect.PaceCusumDetector;
import io.qmon.metrics.detect.RollingZScoreDetector;
import io.qmon.metrics.detect.ShotsDropDetector;
import io.qmon.metrics.detect.TrendCusumDetector;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

class DetectorCatalogTest {
  private static final LongSupplier CLOCK = () -> 0L;

  /** A run that improves, stalls, jumps up and loses modes: every detector has something to do. */
  private static List<Observation> story() {
    Random random = new Random(11);
    List<Observation> out = new ArrayList<>();
    for (int epoch = 1; epoch <= 200; epoch++) {
      double jsd = epoch < 60 ? 0.5 / epoch : epoch < 150 ? 0.01 : epoch < 160 ? 0.3 : 0.01;
      jsd += 0.001 * random.nextGaussian();
      double coverage = epoch < 170 ? 1.0 : 0.4;
      double entropy = epoch < 170 ? 4.5 : 2.0;
      out.add(
          Observation.of(
              epoch,
              Map.of(
                  MetricNames.JSD, Math.abs(jsd),
                  MetricNames.COVERAGE, coverage,
                  MetricNames.ENTROPY_BITS, entropy),
              Map.of(MetricNames.JSD, 0.005)));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static <S extends Serializable> List<AlertDecision> run(Detector<S> detector) {
    S state = detector.initialState();
    List<AlertDecision> decisions = new ArrayList<>();
    for (Observation o : story()) {
      Optional<AlertDecision> d = detector.observe(state, o);
      d.ifPresent(decisions::add);
    }
    return decisions;
  }

  private static Detector<? extends Serializable> only(String selection) {
    return DetectorCatalog.factory(selection).apply(CLOCK).get(0);
  }

  /** Every catalog detector and the metric library's default-built detector of that name. */
  private static Map<String, Detector<? extends Serializable>> library() {
    return Map.of(
        "jsd-zscore",
        RollingZScoreDetector.defaults(MetricNames.JSD, Direction.UP, CLOCK),
        "jsd-ewma",
        EwmaDetector.defaults(MetricNames.JSD, Direction.UP, CLOCK),
        "jsd-cusum",
        CusumDetector.defaults(MetricNames.JSD, CLOCK),
        "jsd-noise-floor",
        NoiseFloorDetector.defaults(MetricNames.JSD, CLOCK),
        "mode-collapse",
        ModeCollapseDetector.defaults(CLOCK),
        "jsd-trend",
        TrendCusumDetector.defaults(MetricNames.JSD, CLOCK),
        "shots-drop",
        ShotsDropDetector.defaults(MetricNames.JSD, CLOCK),
        "distribution-shift",
        DistributionShiftDetector.defaults(CLOCK),
        "uniform-drift",
        DistributionShiftDetector.uniformDriftDefaults(CLOCK),
        "uniform-cusum",
        PaceCusumDetector.uniformCusumDefaults(CLOCK));
  }

  @Test
  void shouldBuildEveryDetectorWithTheLibraryDefaultsWhenNoParametersAreGiven() {
    Map<String, Detector<? extends Serializable>> library = library();
    assertEquals(library.keySet(), DetectorCatalog.parameters().keySet());
    library.forEach(
        (name, reference) -> {
          List<AlertDecision> expected = run(reference);
          assertEquals(expected, run(only(name)), name);
        });
    assertTrue(!run(only("jsd-zscore")).isEmpty(), "the story trips the z-score at its jump");
  }

  @Test
  void shouldDefaultEveryParameterToTheLibraryDefault() {
    library()
        .forEach(
            (name, reference) -> {
              Map<String, String> catalog = DetectorCatalog.parameters().get(name);
              assertEquals(reference.parameters().keySet(), catalog.keySet(), name);
              reference
                  .parameters()
                  .forEach(
                      (key, value) ->
                          assertEquals(
                              value.doubleValue(),
                              Double.parseDouble(catalog.get(key)),
                              name + " " + key));
              // A detector built from the catalog's defaults carries the library's values in
              // every slot (a literal default or a swapped argument in a builder fails here).
              assertEquals(reference.parameters(), only(name).parameters(), name);
            });
  }

  @Test
  void shouldKeepTheDocumentedParameterNames() {
    // The names users write in job.detectors, as the README's configuration table lists them.
    Map<String, List<String>> documented =
        Map.of(
            "jsd-zscore", List.of("window", "min-samples", "z", "fire-after", "resolve-after"),
            "jsd-ewma",
                List.of("lambda", "width", "warmup", "min-stddev", "fire-after", "resolve-after"),
            "jsd-cusum", List.of("slack", "limit", "warmup", "min-stddev", "resolve-after"),
            "jsd-noise-floor", List.of("factor", "fire-after", "resolve-after"),
            "mode-collapse",
                List.of(
                    "window",
                    "warmup",
                    "coverage-drop",
                    "coverage-ratio",
                    "entropy-drop",
                    "fire-after",
                    "resolve-after"),
            "shots-drop", List.of("ratio", "resolve-after"),
            "jsd-trend",
                List.of(
                    "window",
                    "min-samples",
                    "slack",
                    "limit",
                    "min-scale",
                    "min-relative-rise",
                    "resolve-after"),
            "distribution-shift",
                List.of(
                    "window", "min-samples", "width", "min-shift", "fire-after", "resolve-after"),
            "uniform-drift",
                List.of(
                    "window", "min-samples", "width", "min-shift", "fire-after", "resolve-after"),
            "uniform-cusum",
                List.of(
                    "window",
                    "min-samples",
                    "slack",
                    "cap",
                    "limit",
                    "min-shift",
                    "min-share",
                    "target-ratio",
                    "resolve-after"));
    assertEquals(documented.keySet(), DetectorCatalog.parameters().keySet());
    documented.forEach(
        (name, keys) ->
            assertEquals(
                new TreeSet<>(keys),
                new TreeSet<>(DetectorCatalog.parameters().get(name).keySet()),
                name));
  }

  @Test
  void shouldPutEachGivenParameterIntoItsOwnSlot() {
    // One parameter at a time moved off its default (up by one or 10%, else down, whichever the
    // detector accepts): the built detector has it there and every other parameter at default.
    library()
        .forEach(
            (name, reference) ->
                reference
                    .parameters()
                    .forEach(
                        (key, value) -> {
                          Number moved = null;
                          Detector<? extends Serializable> built = null;
                          List<String> refused = new ArrayList<>();
                          for (Number candidate : moves(value)) {
                            try {
                              built = only(name + "(" + key + "=" + candidate + ")");
                              moved = candidate;
                              break;
                            } catch (IllegalArgumentException outOfRange) {
                              refused.add(outOfRange.getMessage());
                            }
                          }
                          assertTrue(built != null, name + " " + key + " refused: " + refused);
                          Map<String, Number> expected =
                              new LinkedHashMap<>(reference.parameters());
                          expected.put(key, moved);
                          assertEquals(expected, built.parameters(), name + " " + key);
                        }));
  }

  private static List<Number> moves(Number value) {
    if (value instanceof Integer i) {
      return List.of(i + 1, i - 1);
    }
    double d = value.doubleValue();
    // 10% of a zero default (a condition that is off) would not move it.
    return d == 0 ? List.of(0.1) : List.of(d * 1.1, d * 0.9);
  }

  @Test
  void shouldApplyParameters() {
    assertTrue(run(only("jsd-zscore(z=1000)")).isEmpty(), "an unreachable z never fires");
    List<AlertDecision> lenient = run(only("jsd-noise-floor(factor=1000)"));
    assertTrue(lenient.isEmpty(), "a floor raised a thousandfold is never crossed: " + lenient);
    assertEquals(
        3,
        DetectorCatalog.factory("jsd-zscore(z=5; window=80),jsd-ewma,mode-collapse")
            .apply(CLOCK)
            .size());
  }

  @Test
  void shouldRefuseUnknownParametersAndBadValuesNamingThem() {
    IllegalArgumentException unknown =
        assertThrows(
            IllegalArgumentException.class, () -> DetectorCatalog.factory("mode-collapse(x=1)"));
    assertTrue(unknown.getMessage().contains("coverage-drop"), unknown.getMessage());
    IllegalArgumentException notANumber =
        assertThrows(
            IllegalArgumentException.class, () -> DetectorCatalog.factory("jsd-zscore(z=high)"));
    assertTrue(notANumber.getMessage().contains("z=high"), notANumber.getMessage());
    IllegalArgumentException outOfRange =
        assertThrows(
            IllegalArgumentException.class, () -> DetectorCatalog.factory("jsd-zscore(window=1)"));
    assertTrue(outOfRange.getMessage().contains("jsd-zscore"), outOfRange.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> DetectorCatalog.factory("mode-collapse(window=3"));
    IllegalArgumentException share =
        assertThrows(
            IllegalArgumentException.class,
            () -> DetectorCatalog.factory("uniform-cusum(min-share=1.5)"));
    assertTrue(share.getMessage().contains("minShare"), share.getMessage());
  }
}

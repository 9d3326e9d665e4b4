package io.qmon.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qmon.metrics.stats.ChiSquared;
import io.qmon.metrics.stats.NormalDistribution;
import io.qmon.metrics.stats.StudentT;
import io.qmon.metrics.testing.Golden;
import io.qmon.metrics.testing.JsonLine;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Quantiles against scipy.stats within 1e-10, relative to the value when it exceeds one (t.ppf
 * reaches 636 at ν = 1, where an absolute 1e-10 would ask for 17 significant digits).
 */
class GoldenQuantilesTest {
  private static final double TOLERANCE = 1e-10;

  @Test
  void shouldMatchScipyStudentTQuantiles() {
    List<JsonLine> cases = Golden.cases("t_ppf");
    assertTrue(cases.size() > 300);
    for (JsonLine c : cases) {
      double expected = c.number("value");
      double actual = StudentT.quantile(c.number("p"), c.number("df"));
      assertEquals(expected, actual, tolerance(expected), "t.ppf" + label(c));
    }
  }

  @Test
  void shouldMatchScipyChiSquareQuantiles() {
    for (JsonLine c : Golden.cases("chi2_ppf")) {
      double expected = c.number("value");
      double actual = ChiSquared.quantile(c.number("p"), c.number("df"));
      assertEquals(expected, actual, tolerance(expected), "chi2.ppf" + label(c));
    }
  }

  @Test
  void shouldMatchScipyNormalQuantiles() {
    for (JsonLine c : Golden.cases("normal_ppf")) {
      double expected = c.number("value");
      assertEquals(
          expected,
          NormalDistribution.quantile(c.number("p")),
          tolerance(expected),
          "norm.ppf(" + c.number("p") + ")");
    }
  }

  private static double tolerance(double expected) {
    return TOLERANCE * Math.max(1, Math.abs(expected));
  }

  private static String label(JsonLine c) {
    return "(" + c.number("p") + ", df=" + c.number("df") + ")";
  }
}

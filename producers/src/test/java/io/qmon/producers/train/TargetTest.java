package io.qmon.producers.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TargetTest {

  @Test
  void shouldBinSamplesToNearestGridPoint() throws IOException {
    // 2 qubits on [0, 3]: grid 0, 1, 2, 3
    String csv = "value\n0.1\n0.4\n1.6\n3.0\n# comment\n\n2.9\n";
    Target t = EmpiricalTarget.fromCsv(new StringReader(csv), "samples", 2, 0, 3);
    assertEquals(0.4, t.distribution().probabilityOf(0), 1e-15);
    assertEquals(0.0, t.distribution().probabilityOf(1), 1e-15);
    assertEquals(0.2, t.distribution().probabilityOf(2), 1e-15);
    assertEquals(0.4, t.distribution().probabilityOf(3), 1e-15);
  }

  @Test
  void shouldReadWeightedValuesFromFile(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("hist.csv");
    Files.writeString(file, "value,count\n-1,3\n1,1\n0.9,4\n");
    Target t = EmpiricalTarget.fromCsv(file, 1, -1, 1);
    assertEquals("empirical(hist.csv)", t.name());
    assertEquals(3.0 / 8, t.distribution().probabilityOf(0), 1e-15);
    assertEquals(5.0 / 8, t.distribution().probabilityOf(1), 1e-15);
  }

  @Test
  void shouldRejectValuesOutsideDomainNamingTheLine() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> EmpiricalTarget.fromCsv(new StringReader("0.5\n7\n"), "x", 2, 0, 3));
    assertTrue(e.getMessage().startsWith("line 2"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> EmpiricalTarget.fromCsv(new StringReader("1,-2\n"), "x", 2, 0, 3));
    assertTrue(e.getMessage().contains("count"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> EmpiricalTarget.fromCsv(new StringReader("1,abc\n"), "x", 2, 0, 3));
    assertThrows(
        IllegalArgumentException.class,
        () -> EmpiricalTarget.fromCsv(new StringReader("# nothing\n"), "x", 2, 0, 3));
  }

  @Test
  void shouldMapOutcomesToGridValues() {
    Target t = Target.standardNormal(3);
    assertEquals(-3.0, t.valueOf(0), 1e-15);
    assertEquals(3.0, t.valueOf(7), 1e-15);
    assertEquals(-3.0 + 6.0 * 3 / 7, t.valueOf(3), 1e-15);
    double total = 0;
    for (double p : t.dense()) {
      total += p;
    }
    assertEquals(1.0, total, 1e-12);
  }
}

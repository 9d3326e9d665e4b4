package io.qmon.producers.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The simulator against probabilities Qiskit 2.1 computed once and committed ({@code
 * sim/qiskit-golden.txt}, made by {@code producers/reference/qiskit_probabilities.py --golden}).
 * {@code QiskitCrossCheckIT} runs the script live on more circuits.
 */
class QiskitGoldenTest {
  private static final double TOLERANCE = 1e-10;

  @Test
  void shouldMatchQiskitStatevectorProbabilitiesOnGoldenCircuits() throws IOException {
    List<String> lines = golden();
    assertTrue(lines.size() >= 15, "golden cases: " + lines.size());
    for (String line : lines) {
      QiskitSpec spec = QiskitSpec.parse(line);
      double[] expected = QiskitSpec.qiskitProbabilities(line);
      double[] actual = spec.simulate();
      assertEquals(1 << spec.qubits, expected.length, spec.line);
      for (int x = 0; x < expected.length; x++) {
        assertEquals(expected[x], actual[x], TOLERANCE, "outcome " + x + " of " + spec.line);
      }
    }
  }

  private static List<String> golden() throws IOException {
    try (InputStream in = QiskitGoldenTest.class.getResourceAsStream("/sim/qiskit-golden.txt")) {
      if (in == null) {
        throw new IOException("missing test resource /sim/qiskit-golden.txt");
      }
      return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))
          .lines()
          .filter(l -> !l.isBlank() && !l.startsWith("#"))
          .toList();
    }
  }
}

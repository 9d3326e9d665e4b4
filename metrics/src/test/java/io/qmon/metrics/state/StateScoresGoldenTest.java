package io.qmon.metrics.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qmon.metrics.MetricNames;
import io.qmon.metrics.testing.JsonLine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * StateScores against qiskit.quantum_info ({@code partial_trace}, {@code entropy(..., base=2)},
 * {@code purity}, {@code state_fidelity}) on the cases of {@code
 * metrics/reference/generate_state_golden.py}: product, Bell, GHZ, W, Haar-random (2–10 qubits),
 * real and phased states, odd qubit counts and extra cuts; within 1e-9.
 */
class StateScoresGoldenTest {
  private static final String RESOURCE = "/golden/state-scores-golden.jsonl";
  private static final double TOLERANCE = 1e-9;

  @Test
  void shouldMatchQiskitOnEveryGoldenState() throws IOException {
    List<String> lines = lines();
    assertTrue(lines.size() >= 70, "golden file holds " + lines.size() + " cases");
    int withTarget = 0;
    int cutsChecked = 0;
    int maxQubits = 0;
    for (String line : lines) {
      JsonLine c = JsonLine.parse(line);
      String name = c.string("name");
      StateVector state = StateVector.of(c.doubles("re"), c.doubles("im"));
      assertEquals(c.integer("qubits"), state.qubits(), name);
      maxQubits = Math.max(maxQubits, state.qubits());
      boolean hasTarget = line.contains("\"target_re\":");
      StateVector target =
          hasTarget ? StateVector.of(c.doubles("target_re"), c.doubles("target_im")) : null;
      int cutCount = (int) c.integer("cuts");
      List<int[]> cuts = new ArrayList<>();
      for (int i = 0; i < cutCount; i++) {
        cuts.add(c.ints("cut_" + i));
      }

      Map<String, Double> scores = StateScores.score(state, target, cuts);

      for (String metric :
          List.of(
              MetricNames.ENTANGLEMENT_HALF,
              MetricNames.ENTANGLEMENT_SINGLE_MEAN,
              MetricNames.MEYER_WALLACH)) {
        assertEquals(c.number(metric), scores.get(metric), TOLERANCE, name + " " + metric);
      }
      if (hasTarget) {
        withTarget++;
        assertEquals(
            c.number(MetricNames.STATE_FIDELITY),
            scores.get(MetricNames.STATE_FIDELITY),
            TOLERANCE,
            name + " fidelity");
      }
      for (int[] cut : cuts) {
        // The generator spells each name itself ("entanglement_entropy_cut_" + ".".join(cut)).
        String metric = MetricNames.entanglementCut(cut);
        assertEquals(c.number(metric), scores.get(metric), TOLERANCE, name + " " + metric);
        cutsChecked++;
      }
      assertEquals(3 + (hasTarget ? 1 : 0) + cutCount, scores.size(), name + " " + scores);
    }
    assertTrue(withTarget >= 30, withTarget + " cases with a target");
    assertTrue(cutsChecked >= 100, cutsChecked + " extra cuts");
    assertEquals(10, maxQubits);
  }

  private static List<String> lines() throws IOException {
    List<String> out = new ArrayList<>();
    try (InputStream in = StateScoresGoldenTest.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("Golden file " + RESOURCE + " is not on the classpath.");
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String line;
      while ((line = reader.readLine()) != null) {
        if (!line.isBlank()) {
          out.add(line);
        }
      }
    }
    return out;
  }
}

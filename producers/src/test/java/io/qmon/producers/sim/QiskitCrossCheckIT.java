package io.qmon.producers.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code producers/reference/qiskit_probabilities.py} in the project virtualenv (created by
 * {@code bin/python-env}) on seeded random circuits and compares every probability with the
 * simulator's: RealAmplitudes and EfficientSU2 under every entanglement, the qGAN generator, 2..8
 * qubits, all initial states.
 */
class QiskitCrossCheckIT {
  private static final double TOLERANCE = 1e-10;

  @Test
  void shouldMatchQiskitOnSeededRandomCircuits() throws Exception {
    List<QiskitSpec> specs = specs();
    List<String> output = runScript(specs);
    assertEquals(specs.size(), output.size(), "one output line per spec");
    for (int i = 0; i < specs.size(); i++) {
      QiskitSpec spec = specs.get(i);
      double[] expected = QiskitSpec.qiskitProbabilities(output.get(i));
      double[] actual = spec.simulate();
      assertEquals(1 << spec.qubits, expected.length, spec.line);
      for (int x = 0; x < expected.length; x++) {
        assertEquals(expected[x], actual[x], TOLERANCE, "outcome " + x + " of " + spec.line);
      }
    }
  }

  private static List<QiskitSpec> specs() {
    List<QiskitSpec> specs = new ArrayList<>();
    String[] inits = {"zero", "uniform", "normal", "random"};
    long seed = 1;
    for (int n = 2; n <= 8; n++) {
      for (Entanglement e : Entanglement.values()) {
        int reps = 1 + (int) (seed % 3);
        specs.add(
            QiskitSpec.random("real_amplitudes", n, reps, e, inits[(int) (seed % 4)], seed++));
        specs.add(QiskitSpec.random("efficient_su2", n, reps, e, inits[(int) (seed % 4)], seed++));
      }
      for (String init : inits) {
        specs.add(QiskitSpec.random("qgan", n, 1 + n % 3, Entanglement.CIRCULAR, init, seed++));
      }
    }
    return specs;
  }

  private static List<String> runScript(List<QiskitSpec> specs) throws Exception {
    Path root = repoRoot();
    String python = runForLine(new ProcessBuilder(root.resolve("bin/python-env").toString()));
    Path script = root.resolve("producers/reference/qiskit_probabilities.py");
    Process p =
        new ProcessBuilder(python, script.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try (Writer in = p.outputWriter(StandardCharsets.UTF_8)) {
      for (QiskitSpec spec : specs) {
        in.write(spec.line);
        in.write('\n');
      }
    }
    List<String> lines;
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      lines = out.lines().toList();
    }
    if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException(script + " failed; see its stderr above");
    }
    return lines;
  }

  private static String runForLine(ProcessBuilder pb) throws IOException, InterruptedException {
    Process p = pb.redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out;
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      out = r.lines().reduce("", (a, b) -> b);
    }
    if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0 || out.isBlank()) {
      throw new IllegalStateException(pb.command() + " did not print the venv python");
    }
    return out.strip();
  }

  private static Path repoRoot() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path d = dir; d != null; d = d.getParent()) {
      if (Files.isExecutable(d.resolve("bin/python-env"))) {
        return d;
      }
    }
    throw new IllegalStateException("no bin/python-env in " + dir + " or any parent directory");
  }
}

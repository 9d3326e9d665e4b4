package io.qmon.producers.sim;

import io.qmon.metrics.targets.DiscretisedTarget;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One circuit spec line of {@code producers/reference/qiskit_probabilities.py}: builds the same
 * circuit with this package, and parses the Qiskit probabilities the script appends.
 */
final class QiskitSpec {
  final String line;
  final String ansatz;
  final int qubits;
  final int reps;
  final Entanglement entanglement;
  final String init;
  final double[] params;

  private QiskitSpec(String line) {
    this.line = line;
    Map<String, String> f = fields(line);
    this.ansatz = f.get("ansatz");
    this.qubits = Integer.parseInt(f.get("qubits"));
    this.reps = Integer.parseInt(f.get("reps"));
    this.entanglement = Entanglement.valueOf(f.get("entanglement").toUpperCase(Locale.ROOT));
    this.init = f.get("init");
    this.params = doubles(f.get("params"));
  }

  static QiskitSpec parse(String line) {
    int probs = line.indexOf(" probs=");
    return new QiskitSpec(probs >= 0 ? line.substring(0, probs) : line);
  }

  /** The Qiskit probabilities appended to an output line. */
  static double[] qiskitProbabilities(String outputLine) {
    return doubles(fields(outputLine).get("probs"));
  }

  /** A seeded random spec: parameters uniform in [−π, π), random product angles in [0, π). */
  static QiskitSpec random(
      String ansatz, int qubits, int reps, Entanglement entanglement, String initKind, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int perLayer = ansatz.equals("efficient_su2") ? 2 * qubits : qubits;
    double[] params = new double[perLayer * (reps + 1)];
    for (int i = 0; i < params.length; i++) {
      params[i] = (2 * rng.nextDouble() - 1) * Math.PI;
    }
    String init =
        switch (initKind) {
          case "normal" -> "normal:0.5:0.8:-2.0:3.0";
          case "random" ->
              "ry:" + join(((InitialState.ProductRy) InitialState.random(qubits, seed)).angles());
          default -> initKind;
        };
    return new QiskitSpec(
        "ansatz="
            + ansatz
            + " qubits="
            + qubits
            + " reps="
            + reps
            + " entanglement="
            + entanglement.name().toLowerCase(Locale.ROOT)
            + " init="
            + init
            + " params="
            + join(params));
  }

  Circuit circuit() {
    return switch (ansatz) {
      case "real_amplitudes" -> Ansatze.realAmplitudes(qubits, reps, entanglement);
      case "efficient_su2" -> Ansatze.efficientSu2(qubits, reps, entanglement);
      case "qgan" -> Ansatze.qganGenerator(qubits, reps);
      default -> throw new IllegalArgumentException("unknown ansatz " + ansatz);
    };
  }

  InitialState initialState() {
    if (init.equals("zero")) {
      return InitialState.zero();
    }
    if (init.equals("uniform")) {
      return InitialState.uniform();
    }
    if (init.startsWith("normal:")) {
      double[] v =
          Arrays.stream(init.substring(7).split(":")).mapToDouble(Double::parseDouble).toArray();
      return InitialState.amplitudesOf(
          DiscretisedTarget.normal(qubits, v[0], v[1], v[2], v[3]).distribution());
    }
    if (init.startsWith("ry:")) {
      return InitialState.productRy(doubles(init.substring(3)));
    }
    throw new IllegalArgumentException("unknown init " + init);
  }

  /** Probabilities from this package's simulator. */
  double[] simulate() {
    return new QuantumModel(initialState(), circuit()).exactProbabilities(params);
  }

  private static Map<String, String> fields(String line) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String token : line.trim().split("\\s+")) {
      int eq = token.indexOf('=');
      out.put(token.substring(0, eq), token.substring(eq + 1));
    }
    return out;
  }

  private static double[] doubles(String csv) {
    if (csv == null || csv.isEmpty()) {
      return new double[0];
    }
    return Arrays.stream(csv.split(",")).mapToDouble(Double::parseDouble).toArray();
  }

  private static String join(double[] values) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(Double.toString(values[i]));
    }
    return sb.toString();
  }
}

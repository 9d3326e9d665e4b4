package io.qmon.producers.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.qmon.metrics.targets.DiscretisedTarget;
import org.junit.jupiter.api.Test;

class AnsatzeTest {

  @Test
  void shouldCountParametersLikeQiskit() {
    assertEquals(16, Ansatze.realAmplitudes(4, 3, Entanglement.LINEAR).numParameters());
    assertEquals(32, Ansatze.efficientSu2(4, 3, Entanglement.FULL).numParameters());
    assertEquals(9, Ansatze.qganGenerator(3, 2).numParameters());
  }

  @Test
  void shouldLayOutRealAmplitudesAsRotationEntanglerRotation() {
    // real_amplitudes(3, reps=1, entanglement='linear') in Qiskit 2.1:
    // ry θ0..θ2 on q0..q2, cx(0,1), cx(1,2), ry θ3..θ5
    Circuit c = Ansatze.realAmplitudes(3, 1, Entanglement.LINEAR);
    assertEquals(8, c.size());
    Gate[] gates = new Gate[c.size()];
    int[] params = new int[c.size()];
    for (int op = 0; op < c.size(); op++) {
      gates[op] = c.gate(op);
      params[op] = c.parameterIndex(op);
    }
    assertArrayEquals(
        new Gate[] {Gate.RY, Gate.RY, Gate.RY, Gate.CX, Gate.CX, Gate.RY, Gate.RY, Gate.RY}, gates);
    assertArrayEquals(new int[] {0, 1, 2, -1, -1, 3, 4, 5}, params);
    assertEquals(1, c.qubit0(4));
    assertEquals(2, c.qubit1(4));
  }

  @Test
  void shouldPutRzLayerAfterRyLayerInEfficientSu2() {
    Circuit c = Ansatze.efficientSu2(2, 1, Entanglement.LINEAR);
    assertEquals(Gate.RY, c.gate(1));
    assertEquals(Gate.RZ, c.gate(2));
    assertEquals(0, c.qubit0(2));
    assertEquals(2, c.parameterIndex(2));
  }

  @Test
  void shouldOrderEntanglingPairsLikeQiskit() {
    assertArrayEquals(new int[][] {{2, 3}, {1, 2}, {0, 1}}, Entanglement.REVERSE_LINEAR.pairs(4));
    assertArrayEquals(new int[][] {{3, 0}, {0, 1}, {1, 2}, {2, 3}}, Entanglement.CIRCULAR.pairs(4));
    assertArrayEquals(new int[][] {{0, 1}}, Entanglement.CIRCULAR.pairs(2));
    assertArrayEquals(new int[][] {{0, 1}, {0, 2}, {1, 2}}, Entanglement.FULL.pairs(3));
  }

  @Test
  void shouldStayInZeroStateWithZeroParameters() {
    Circuit c = Ansatze.realAmplitudes(3, 2, Entanglement.FULL);
    double[] p =
        new QuantumModel(InitialState.zero(), c).exactProbabilities(new double[c.numParameters()]);
    assertEquals(1.0, p[0], 1e-15);
  }

  @Test
  void shouldLoadNormalInitialStateExactly() {
    DiscretisedTarget normal = DiscretisedTarget.normal(3, 0, 1, -3, 3);
    Circuit c = Ansatze.qganGenerator(3, 1);
    double[] p =
        new QuantumModel(InitialState.amplitudesOf(normal.distribution()), c)
            .exactProbabilities(new double[c.numParameters()]);
    for (int x = 0; x < 8; x++) {
      assertEquals(normal.distribution().probabilityOf(x), p[x], 1e-14);
    }
  }

  @Test
  void shouldGiveUniformProbabilitiesFromUniformInitialState() {
    double[] p =
        new QuantumModel(InitialState.uniform(), Circuit.builder(3).build())
            .exactProbabilities(new double[0]);
    for (double x : p) {
      assertEquals(0.125, x, 1e-15);
    }
  }

  @Test
  void shouldDrawReproducibleRandomProductState() {
    InitialState a = InitialState.random(4, 7);
    InitialState b = InitialState.random(4, 7);
    assertArrayEquals(
        ((InitialState.ProductRy) a).angles(), ((InitialState.ProductRy) b).angles(), 0.0);
    double[] angles = ((InitialState.ProductRy) a).angles();
    double[] p = new QuantumModel(a, Circuit.builder(4).build()).exactProbabilities(new double[0]);
    double expected = 1;
    for (double angle : angles) {
      expected *= Math.cos(angle / 2) * Math.cos(angle / 2);
    }
    assertEquals(expected, p[0], 1e-14);
  }
}

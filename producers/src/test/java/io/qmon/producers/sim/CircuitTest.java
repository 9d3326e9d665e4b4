package io.qmon.producers.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CircuitTest {
  private static final double EPS = 1e-12;

  @Test
  void shouldRebindParametersWithoutRebuilding() {
    Circuit c = Circuit.builder(1).ryParam(0, 0).build();
    QuantumModel model = new QuantumModel(InitialState.zero(), c);
    for (double theta : new double[] {0.2, 1.4, 3.0}) {
      double cos = Math.cos(theta / 2);
      assertArrayEquals(
          new double[] {cos * cos, 1 - cos * cos},
          model.exactProbabilities(new double[] {theta}),
          EPS);
    }
  }

  @Test
  void shouldShiftOneOperationForParameterShift() {
    Circuit c = Circuit.builder(1).ryParam(0, 0).build();
    QuantumModel model = new QuantumModel(InitialState.zero(), c);
    double[] out = new double[2];
    model.shiftedProbabilities(new double[] {0.3}, 0, Math.PI / 2, out);
    double cos = Math.cos((0.3 + Math.PI / 2) / 2);
    assertEquals(cos * cos, out[0], EPS);
  }

  @Test
  void shouldOffsetParametersWhenAppending() {
    Circuit first = Circuit.builder(2).ryParam(0, 0).ryParam(1, 1).build();
    Circuit both = Circuit.builder(2).append(first).append(first).build();
    assertEquals(4, both.numParameters());
    assertEquals(3, both.parameterIndex(3));
    // RY(a)RY(b) = RY(a+b) on each qubit
    double[] p =
        new QuantumModel(InitialState.zero(), both)
            .exactProbabilities(new double[] {0.1, 0.2, 0.3, 0.4});
    double c0 = Math.cos(0.2);
    double c1 = Math.cos(0.3);
    assertEquals(c0 * c0 * c1 * c1, p[0], EPS);
  }

  @Test
  void shouldKeepFixedAnglesAndCountOnlyBoundParameters() {
    Circuit c = Circuit.builder(2).h(0).ry(1, 0.5).cx(0, 1).rzParam(0, 2).build();
    assertEquals(3, c.numParameters());
    assertEquals(-1, c.parameterIndex(1));
    assertEquals(0.5, c.angle(1, new double[3]), 0.0);
    assertEquals(Gate.CX, c.gate(2));
    assertEquals(1, c.qubit1(2));
  }

  @Test
  void shouldRejectWrongParameterCountAndBadQubits() {
    Circuit c = Circuit.builder(2).ryParam(0, 1).build();
    StateVector s = new StateVector(2);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> c.apply(s, new double[1]));
    assertTrue(e.getMessage().contains("params"));
    assertThrows(IllegalArgumentException.class, () -> Circuit.builder(2).cx(0, 2));
    assertThrows(IllegalArgumentException.class, () -> Circuit.builder(2).cz(1, 1));
    assertThrows(IllegalArgumentException.class, () -> Circuit.builder(2).ryParam(0, -1));
    assertThrows(IllegalArgumentException.class, () -> Circuit.builder(2).rx(0, Double.NaN));
  }
}

package io.qmon.producers.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StateVectorTest {
  private static final double EPS = 1e-12;
  private static final double H = Math.sqrt(0.5);

  @Test
  void shouldPutZeroIntoEqualSuperpositionUnderHadamard() {
    StateVector s = new StateVector(1);
    s.h(0);
    assertEquals(H, s.re(0), EPS);
    assertEquals(H, s.re(1), EPS);
    s.h(0);
    assertEquals(1.0, s.re(0), EPS);
    assertEquals(0.0, s.re(1), EPS);
  }

  @Test
  void shouldPrepareBellStateWithHadamardAndCnot() {
    StateVector s = new StateVector(2);
    s.h(0);
    s.cx(0, 1);
    assertArrayEquals(new double[] {0.5, 0, 0, 0.5}, s.probabilities(), EPS);
  }

  @Test
  void shouldUseLittleEndianOrderLikeQiskit() {
    StateVector s = new StateVector(3);
    s.x(1);
    // qubit 1 set: outcome '010' = 2
    assertEquals(1.0, s.probabilities()[2], EPS);
    s.x(0);
    assertEquals(1.0, s.probabilities()[3], EPS);
  }

  @Test
  void shouldGiveCosineSquaredProbabilitiesUnderRy() {
    for (double theta : new double[] {0.0, 0.3, 1.0, Math.PI / 2, 2.5, Math.PI, -1.2}) {
      StateVector s = new StateVector(1);
      s.ry(0, theta);
      double c = Math.cos(theta / 2);
      assertArrayEquals(new double[] {c * c, 1 - c * c}, s.probabilities(), EPS);
      // RY is a real rotation: amplitudes cos(θ/2), sin(θ/2)
      assertEquals(Math.sin(theta / 2), s.re(1), EPS);
    }
  }

  @Test
  void shouldRotateAboutXWithImaginaryAmplitude() {
    StateVector s = new StateVector(1);
    s.rx(0, 0.8);
    assertEquals(Math.cos(0.4), s.re(0), EPS);
    assertEquals(0.0, s.im(0), EPS);
    assertEquals(0.0, s.re(1), EPS);
    assertEquals(-Math.sin(0.4), s.im(1), EPS);
  }

  @Test
  void shouldMapZeroToIOneUnderY() {
    StateVector s = new StateVector(1);
    s.y(0);
    assertEquals(0.0, s.re(1), EPS);
    assertEquals(1.0, s.im(1), EPS);
    s.y(0);
    // Y² = I
    assertEquals(1.0, s.re(0), EPS);
    assertEquals(0.0, s.im(0), EPS);
  }

  @Test
  void shouldApplyRelativePhasesOfZSAndT() {
    StateVector s = new StateVector(1);
    s.h(0);
    s.t(0);
    s.t(0);
    // T² = S: |1⟩ amplitude becomes i/√2
    assertEquals(0.0, s.re(1), EPS);
    assertEquals(H, s.im(1), EPS);
    s.s(0);
    // S·S = Z: now −1/√2
    assertEquals(-H, s.re(1), EPS);
    s.z(0);
    assertEquals(H, s.re(1), EPS);
    assertEquals(H, s.re(0), EPS);
  }

  @Test
  void shouldApplyRzAsOppositePhases() {
    StateVector s = new StateVector(1);
    s.h(0);
    s.rz(0, 1.0);
    assertEquals(H * Math.cos(0.5), s.re(0), EPS);
    assertEquals(-H * Math.sin(0.5), s.im(0), EPS);
    assertEquals(H * Math.cos(0.5), s.re(1), EPS);
    assertEquals(H * Math.sin(0.5), s.im(1), EPS);
  }

  @Test
  void shouldInterfereBackToOneWithHRzH() {
    // H RZ(π) H = −i X up to global phase: |0⟩ → |1⟩
    StateVector s = new StateVector(1);
    s.h(0);
    s.rz(0, Math.PI);
    s.h(0);
    assertArrayEquals(new double[] {0, 1}, s.probabilities(), EPS);
  }

  @Test
  void shouldFlipSignOfElevenOnlyUnderCz() {
    StateVector s = new StateVector(2);
    s.h(0);
    s.h(1);
    s.cz(0, 1);
    assertEquals(0.5, s.re(0), EPS);
    assertEquals(0.5, s.re(1), EPS);
    assertEquals(0.5, s.re(2), EPS);
    assertEquals(-0.5, s.re(3), EPS);
  }

  @Test
  void shouldExchangeQubitsUnderSwap() {
    StateVector s = new StateVector(3);
    s.x(0);
    s.swap(0, 2);
    assertEquals(1.0, s.probabilities()[4], EPS);
  }

  @Test
  void shouldRotateTargetOnlyWhenControlIsSetUnderCry() {
    StateVector s = new StateVector(2);
    s.cry(0, 1, 1.0);
    assertEquals(1.0, s.probabilities()[0], EPS);
    s.x(0);
    s.cry(0, 1, 1.0);
    double c = Math.cos(0.5);
    assertArrayEquals(new double[] {0, c * c, 0, 1 - c * c}, s.probabilities(), EPS);
  }

  @Test
  void shouldKeepUnitNormThroughManyGates() {
    StateVector s = new StateVector(5);
    for (int q = 0; q < 5; q++) {
      s.h(q);
      s.rx(q, 0.1 * q + 0.2);
      s.rz(q, 0.7 - q);
    }
    s.cx(0, 4);
    s.cry(3, 1, 0.9);
    s.swap(2, 3);
    double total = 0;
    for (double p : s.probabilities()) {
      total += p;
    }
    assertEquals(1.0, total, 1e-12);
  }

  @Test
  void shouldRejectBadQubitsNamingTheField() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new StateVector(0));
    assertTrue(e.getMessage().contains("qubits"));
    StateVector s = new StateVector(2);
    assertThrows(IllegalArgumentException.class, () -> s.h(2));
    assertThrows(IllegalArgumentException.class, () -> s.cx(1, 1));
    assertThrows(
        IllegalArgumentException.class, () -> s.setRealAmplitudes(new double[] {1, 1, 0, 0}));
  }
}

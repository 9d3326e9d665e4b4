package io.qmon.metrics.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The pace window by hand-computed values, and across a serialization (as in a checkpoint). */
class RunPaceTest {
  @Test
  void shouldGiveTheMedianAndRobustSpreadOfTheLastScores() {
    RunPace pace = new RunPace(5);
    for (double x : new double[] {100, 1, 2, 3, 4, 10}) {
      pace.add(x);
    }
    // The window keeps 1, 2, 3, 4, 10: median 3, |x − 3| = 2, 1, 0, 1, 7 → MAD 1.
    assertEquals(5, pace.size());
    assertEquals(3, pace.pace(), 0);
    assertEquals(1.4826, pace.spread(3), 1e-15);
    RunPace calm = new RunPace(5);
    for (double x : new double[] {2, 2, 2.1, 2, 2}) {
      calm.add(x);
    }
    assertEquals(1, calm.spread(calm.pace()), 0, "never below the score's own noise");
  }

  @Test
  void shouldGoOnIdenticallyAfterASerializationRoundTrip() throws Exception {
    RunPace pace = new RunPace(30);
    SplittableRandom random = new SplittableRandom(11);
    for (int i = 0; i < 45; i++) {
      pace.add(random.nextGaussian());
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(pace);
    }
    RunPace restored;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      restored = (RunPace) in.readObject();
    }
    for (int i = 0; i < 40; i++) {
      double x = 3 * random.nextGaussian();
      pace.add(x);
      restored.add(x);
      assertEquals(pace.pace(), restored.pace(), 0);
      assertEquals(pace.spread(pace.pace()), restored.spread(restored.pace()), 0);
    }
  }
}

package io.qmon.jobs.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.qmon.metrics.shift.RecentCounts;
import java.io.DataInputStream;
import java.io.InputStream;
import java.util.SplittableRandom;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.java.typeutils.runtime.kryo.KryoSerializer;
import org.apache.flink.core.memory.DataInputViewStreamWrapper;
import org.junit.jupiter.api.Test;

/**
 * {@link RecentCounts} lives in {@link RunState} as a Kryo-serialized field, so its field layout is
 * part of every checkpoint and savepoint. The resource is a pool written by Flink's {@link
 * KryoSerializer} with the code of commit 0788a28 (before {@code window_shift_uniform_share}):
 * {@link RecentCounts#withDefaults()} fed the 30 epochs of {@link #epoch} from seed 5 with 3
 * qubits. Restored by today's code it must score the following epochs exactly as a pool that saw
 * the same 30 epochs.
 */
class RecentCountsStateTest {
  private static long[][] epoch(SplittableRandom random) {
    long[] outcomes = {0, 1, 2, 3, 4, 5, 6, 7};
    long[] counts = new long[8];
    for (int shot = 0; shot < 512; shot++) {
      counts[random.nextInt(8)]++;
    }
    return new long[][] {outcomes, counts};
  }

  @Test
  void shouldRestoreAPoolCheckpointedBeforeTheUniformShareExisted() throws Exception {
    KryoSerializer<RecentCounts> serializer =
        new KryoSerializer<>(RecentCounts.class, new SerializerConfigImpl());
    RecentCounts restored;
    try (InputStream in =
        RecentCountsStateTest.class.getResourceAsStream("recent-counts-kryo-0788a28.bin")) {
      restored = serializer.deserialize(new DataInputViewStreamWrapper(new DataInputStream(in)));
    }
    SplittableRandom random = new SplittableRandom(5);
    RecentCounts fresh = RecentCounts.withDefaults();
    for (int i = 0; i < 30; i++) {
      long[][] e = epoch(random);
      fresh.shift(e[0], e[1], 3);
    }
    assertEquals(fresh.size(), restored.size());
    for (int i = 0; i < 30; i++) {
      long[][] e = epoch(random);
      double score = fresh.shift(e[0].clone(), e[1].clone(), 3);
      assertFalse(Double.isNaN(score));
      assertEquals(score, restored.shift(e[0], e[1], 3), 0, "epoch " + i);
      assertEquals(fresh.uniformShift(), restored.uniformShift(), 0, "epoch " + i);
      assertEquals(fresh.uniformShare(), restored.uniformShare(), 0, "epoch " + i);
    }
  }
}

package io.qmon.jobs.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.qmon.schemas.Histogram;
import io.qmon.schemas.ShotCounts;
import io.qmon.schemas.TargetDistribution;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistogramsTest {
  private static ShotCounts shots(List<Long> outcomes, List<Long> counts) {
    return ShotCounts.newBuilder()
        .setRunId("r")
        .setProducerId("p")
        .setSeq(1)
        .setEpoch(7)
        .setEventTime(Instant.EPOCH)
        .setQubits(3)
        .setShots(counts.stream().mapToLong(Long::longValue).sum())
        .setOutcomes(outcomes)
        .setCounts(counts)
        .build();
  }

  private static TargetDistribution target(List<Long> outcomes, List<Double> p) {
    return TargetDistribution.newBuilder()
        .setTargetId("t")
        .setQubits(3)
        .setDescription("")
        .setOutcomes(outcomes)
        .setProbabilities(p)
        .setLow(-1.0)
        .setHigh(1.0)
        .setUpdatedTime(Instant.EPOCH)
        .build();
  }

  @Test
  void shouldAlignCountsAndTargetOverTheUnionOfSupportsInAscendingOrder() {
    Histogram h =
        Histograms.of(
            shots(List.of(5L, 1L, 2L), List.of(10L, 60L, 30L)),
            target(List.of(2L, 0L), List.of(0.75, 0.25)),
            4096);
    assertEquals(7, h.getEpoch());
    assertEquals(100, h.getShots());
    assertEquals(List.of(0L, 1L, 2L, 5L), h.getOutcomes());
    assertEquals(List.of(0L, 60L, 30L, 10L), h.getCounts());
    assertEquals(List.of(0.25, 0.0, 0.75, 0.0), h.getTarget());
    assertEquals(-1.0, h.getLow());
    assertEquals(1.0, h.getHigh());
  }

  @Test
  void shouldKeepTheOutcomesWithTheLargestMassWhenCapped() {
    // Masses: 0 -> max(0.25, 0) ; 1 -> 0.60 ; 2 -> max(0.75, 0.30) ; 5 -> 0.10
    Histogram h =
        Histograms.of(
            shots(List.of(5L, 1L, 2L), List.of(10L, 60L, 30L)),
            target(List.of(2L, 0L), List.of(0.75, 0.25)),
            2);
    assertEquals(List.of(1L, 2L), h.getOutcomes());
    assertEquals(List.of(60L, 30L), h.getCounts());
    assertEquals(List.of(0.0, 0.75), h.getTarget());
  }

  @Test
  void shouldLeaveTheValueRangeOutWhenTheTargetHasNone() {
    TargetDistribution plain = target(List.of(0L), List.of(1.0));
    plain.setLow(null);
    plain.setHigh(null);
    Histogram h = Histograms.of(shots(List.of(0L), List.of(4L)), plain, 10);
    assertNull(h.getLow());
    assertEquals(List.of(4L), h.getCounts());
  }
}

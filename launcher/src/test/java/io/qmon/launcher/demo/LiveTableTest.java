package io.qmon.launcher.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.qmon.schemas.Advice;
import io.qmon.schemas.AdviceKind;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the demo's table shows of a run's alerts and advice. */
class LiveTableTest {
  private static Advice advice(AdviceKind kind, int epoch) {
    return Advice.newBuilder()
        .setAdviceId("r/" + kind)
        .setRunId("r")
        .setKind(kind)
        .setStop(kind != AdviceKind.PLATEAU)
        .setEpoch(epoch)
        .setSinceEpoch(epoch - 2)
        .setMetric("jsd")
        .setValue(0.5)
        .setLevel(0.5)
        .setBestLevel(0.01)
        .setBestEpoch(1)
        .setFloor(0.004)
        .setFloorExpected(0.002)
        .setValues(List.of(0.5, 0.5, 0.5))
        .setShotsPerEpoch(1024)
        .setEpochsSaved(0)
        .setShotsSaved(0)
        .setReason("test")
        .setEventTime(Instant.EPOCH)
        .build();
  }

  @Test
  void shouldShowEveryKindGivenAtTheLatestAdviceEpoch() {
    OutputTail.RunView view = new OutputTail.RunView("r");
    view.advice.add(advice(AdviceKind.CONVERGED_AT_NOISE_FLOOR, 58));
    view.advice.add(advice(AdviceKind.COLLAPSED, 122));
    view.advice.add(advice(AdviceKind.DIVERGING, 122));
    view.firing.put("mode-collapse", "mode-collapse CRITICAL @121");

    assertEquals(
        "!! mode-collapse CRITICAL @121  advice COLLAPSED, DIVERGING @122", LiveTable.marks(view));
  }

  @Test
  void shouldShowOnlyTheLatestEpochsAdvice() {
    OutputTail.RunView view = new OutputTail.RunView("r");
    view.advice.add(advice(AdviceKind.PLATEAU, 42));
    view.advice.add(advice(AdviceKind.CONVERGED_AT_NOISE_FLOOR, 98));

    assertEquals("advice CONVERGED_AT_NOISE_FLOOR @98", LiveTable.marks(view));
    assertEquals("", LiveTable.marks(new OutputTail.RunView("r")));
  }
}

package io.qmon.jobs.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qmon.jobs.MonitoringJob;
import io.qmon.jobs.records.InputEvent;
import io.qmon.schemas.DeadLetter;
import io.qmon.schemas.RunEvent;
import io.qmon.schemas.RunStarted;
import io.qmon.schemas.ShotCounts;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ValidateInputTest {
  private static final long SKEW = 60_000;
  private static final long NOW = 1_700_000_000_000L;

  private OneInputStreamOperatorTestHarness<InputEvent, InputEvent> harness;

  @BeforeEach
  void setUp() throws Exception {
    harness =
        ProcessFunctionTestHarnesses.forProcessFunction(
            new ValidateInput(MonitoringJob.DEAD_LETTERS, SKEW));
    harness.setProcessingTime(NOW);
  }

  @AfterEach
  void tearDown() throws Exception {
    harness.close();
  }

  private static InputEvent epochAt(long eventTimeMillis) {
    return InputEvent.of(
        ShotCounts.newBuilder()
            .setRunId("r")
            .setProducerId("p")
            .setSeq(1)
            .setEpoch(1)
            .setEventTime(Instant.ofEpochMilli(eventTimeMillis))
            .setQubits(1)
            .setShots(2)
            .setOutcomes(List.of(0L, 1L))
            .setCounts(List.of(1L, 1L))
            .build());
  }

  private List<DeadLetter> deadLetters() {
    var out = harness.getSideOutput(MonitoringJob.DEAD_LETTERS);
    return out == null ? List.of() : out.stream().map(StreamRecord::getValue).toList();
  }

  @Test
  void shouldDeadLetterAnEventStampedTenMinutesAheadWithItsSkew() throws Exception {
    harness.processElement(epochAt(NOW + 600_000), 0);
    List<DeadLetter> letters = deadLetters();
    assertEquals(1, letters.size());
    assertEquals("FUTURE_EVENT_TIME", letters.get(0).getErrorType());
    assertTrue(
        letters.get(0).getReason().contains("is 600000 ms ahead of the job's clock"),
        letters.get(0).getReason());
    assertTrue(harness.extractOutputValues().isEmpty());
  }

  @Test
  void shouldPassAnEventWithinTheToleranceAndAnyOldEvent() throws Exception {
    harness.processElement(epochAt(NOW + SKEW), 0);
    harness.processWatermark(NOW);
    harness.processElement(epochAt(NOW - 3_600_000), 0);
    assertEquals(2, harness.extractOutputValues().size(), deadLetters().toString());
  }

  private static InputEvent startWith(Map<String, String> attachments) {
    return InputEvent.of(
        RunEvent.newBuilder()
            .setRunId("r")
            .setProducerId("p")
            .setSeq(0)
            .setEventTime(Instant.ofEpochMilli(NOW))
            .setPayload(
                RunStarted.newBuilder()
                    .setExperiment("e")
                    .setModelType("born_machine")
                    .setAnsatz("a")
                    .setRepetitions(1)
                    .setQubits(1)
                    .setShots(2)
                    .setBackend("b")
                    .setOptimizer("o")
                    .setSeed(0)
                    .setTargetId("t")
                    .setAttachments(attachments)
                    .build())
            .build());
  }

  @Test
  void shouldDeadLetterARunStartWhoseAttachmentsAreTooLargeNamingTheAttachment() throws Exception {
    // 300,000 ASCII characters are 300,000 bytes: above the 262,144-byte (256 KiB) bound.
    harness.processElement(startWith(Map.of("environment.txt", "x".repeat(300_000))), 0);
    harness.processElement(startWith(Map.of("../escape.txt", "x")), 0);
    harness.processElement(startWith(Map.of("environment.txt", "x".repeat(200_000))), 0);
    List<DeadLetter> letters = deadLetters();
    assertEquals(2, letters.size(), letters.toString());
    assertEquals("FIELD_TOO_LONG", letters.get(0).getErrorType());
    assertTrue(
        letters
            .get(0)
            .getReason()
            .startsWith("attachments take more than 262144 bytes of UTF-8 together"),
        letters.get(0).getReason());
    assertTrue(letters.get(0).getReason().contains("\"environment.txt\""));
    assertEquals("INVALID_RUN_START", letters.get(1).getErrorType());
    assertTrue(
        letters.get(1).getReason().startsWith("attachments name \"../escape.txt\" is not a safe"),
        letters.get(1).getReason());
    assertEquals(1, harness.extractOutputValues().size(), "the start within the bound passes");
  }
}

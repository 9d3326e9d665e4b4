package io.qmon.sink.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qmon.schemas.MetricRecord;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The attachments of RUN_OPENED become artifacts under run/, once per path. */
class RunAttachmentsTest {
  private final RecordingMlflow mlflow = new RecordingMlflow();

  private MlflowDestination destination() {
    return new MlflowDestination(mlflow, new MlflowWriter.Shared(), new WriterStats(), 1000);
  }

  private static MetricRecord openedWith(String run, Map<String, String> attachments) {
    MetricRecord opened = TestRecords.opened(run);
    opened.setAttachments(attachments);
    return opened;
  }

  private Map<String, String> artifactsOf(String run) {
    return mlflow.named(run).get(0).artifacts.entrySet().stream()
        .collect(
            Collectors.toMap(
                Map.Entry::getKey, e -> new String(e.getValue(), StandardCharsets.UTF_8)));
  }

  @Test
  void shouldWriteEachAttachmentUnderRunWhenTheRunOpens() {
    destination()
        .open(
            openedWith(
                "r",
                Map.of(
                    "environment.txt", "numpy==2.3.4\nqiskit==2.2.1\n",
                    "circuit.qasm", "OPENQASM 3.0;\nqubit[2] q;\n")));
    assertEquals(
        Map.of(
            "run/environment.txt", "numpy==2.3.4\nqiskit==2.2.1\n",
            "run/circuit.qasm", "OPENQASM 3.0;\nqubit[2] q;\n"),
        artifactsOf("r"));
  }

  @Test
  void shouldWriteTheSamePathsAgainWhenARestartedSinkReplaysTheOpen() {
    MetricRecord opened = openedWith("r", Map.of("environment.txt", "é\n"));
    destination().open(opened);
    destination().open(opened);
    assertEquals(1, mlflow.named("r").size(), "one MLflow run");
    assertEquals(Map.of("run/environment.txt", "é\n"), artifactsOf("r"));
  }

  @Test
  void shouldUploadNothingOutsideRunWhenARecordBreaksTheBounds() {
    destination().open(openedWith("r", Map.of("../../escape.txt", "x", "environment.txt", "ok")));
    assertTrue(artifactsOf("r").isEmpty(), "artifacts: " + artifactsOf("r").keySet());
    assertEquals(List.of("r"), List.of(mlflow.named("r").get(0).name), "the run still opens");
  }
}

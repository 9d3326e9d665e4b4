package io.qmon.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class JobWatcherTest {
  @Test
  void shouldDescribeEveryCauseOutermostFirstWithoutUrlCredentials() {
    Throwable failure =
        new CompletionException(
            new IllegalStateException(
                "Job execution failed.",
                new RuntimeException(
                    "Recovery is suppressed",
                    new java.io.IOException("GET http://ann:pw@registry:8081/schemas failed"))));
    assertEquals(
        "java.lang.IllegalStateException: Job execution failed.\n"
            + "  caused by java.lang.RuntimeException: Recovery is suppressed\n"
            + "  caused by java.io.IOException: GET http://[redacted]@registry:8081/schemas failed",
        JobWatcher.describe(failure));
  }

  @Test
  void shouldPointAtTheLogs() {
    String report =
        JobWatcher.failureReport("qmon stack", "boom", java.nio.file.Path.of("/x/logs"));
    assertTrue(
        report.startsWith("qmon stack: the monitoring job FAILED")
            && report.contains("cause: boom")
            && report.contains("/x/logs (broker, registry)"),
        report);
  }
}

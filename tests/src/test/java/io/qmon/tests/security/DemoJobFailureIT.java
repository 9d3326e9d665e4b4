package io.qmon.tests.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qmon.schemas.Topics;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code qmon demo} with no job restarts left: when its monitoring job fails (the registry dies and
 * a record with an unseen schema arrives) the demo stops training, says the job FAILED with the
 * cause and where the logs are, and exits with status 1 instead of drawing an empty table.
 */
class DemoJobFailureIT {
  private LauncherProcess demo;

  @AfterEach
  void stop() throws Exception {
    if (demo != null) {
      demo.close();
    }
  }

  @Test
  void shouldExitNonZeroNamingTheCauseWhenTheJobFails() throws Exception {
    demo =
        LauncherProcess.start(
            "demo-job-failure",
            List.of("-Dqmon.job.restart-attempts=0"),
            // No MLflow server: the story is the job's failure, and a start costs less without.
            false,
            "demo",
            "--duration-s",
            "300",
            "--runs",
            "1",
            "--plain");
    // Once metrics flow, the producers and the job have every schema they use cached: only a new
    // schema id needs the registry.
    demo.awaitOutput(Pattern.compile("metric records: [1-9]"), 300);
    Matcher kafka = Pattern.compile("kafka (\\S+), schema registry").matcher(demo.output());
    assertTrue(kafka.find(), demo.output());

    RegistryLoss.killRegistry(demo.process);
    RegistryLoss.publishUnseenSchemaId(kafka.group(1), Topics.SHOTS);

    assertTrue(
        demo.process.waitFor(180, TimeUnit.SECONDS),
        "the demo exits once its job failed:\n" + demo.output());
    String output = demo.output();
    System.out.println("qmon demo output:\n" + output);
    assertEquals(1, demo.process.exitValue(), output);
    assertTrue(output.contains("qmon demo: the monitoring job FAILED"), output);
    assertTrue(output.contains("SchemaRegistryException"), output);
    assertTrue(output.contains("logs: " + demo.logFile), output);
  }
}

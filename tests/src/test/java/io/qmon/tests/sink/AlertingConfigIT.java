package io.qmon.tests.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The shipped alerting configuration, checked with the tools of the Debian Prometheus and
 * Alertmanager packages (bin/system-deps): the pipeline rules pass {@code promtool check rules} and
 * their unit tests ({@code promtool test rules}), grafana/prometheus.yml passes {@code promtool
 * check config}, grafana/alertmanager/alertmanager.yml passes {@code amtool check-config}, and its
 * routing tree sends each kind of alert where the file says ({@code amtool config routes test}).
 */
class AlertingConfigIT {
  private static final Path GRAFANA =
      Path.of(System.getProperty("qmon.root", "..")).resolve("grafana").normalize();

  @Test
  void shouldPassPromtoolChecksAndTheRuleUnitTests() throws Exception {
    Result check = run(GRAFANA.resolve("rules"), "promtool", "check", "rules", "qmon-pipeline.yml");
    assertEquals(0, check.exit(), check.output());
    assertTrue(check.output().contains("SUCCESS: 12 rules found"), check.output());
    Result tests =
        run(GRAFANA.resolve("rules"), "promtool", "test", "rules", "qmon-pipeline-tests.yml");
    assertEquals(0, tests.exit(), tests.output());
    assertTrue(tests.output().contains("SUCCESS"), tests.output());
    Result config = run(GRAFANA, "promtool", "check", "config", "prometheus.yml");
    assertEquals(0, config.exit(), config.output());
  }

  @Test
  void shouldPassAmtoolCheckConfigAndRouteEachKindOfAlert() throws Exception {
    Path dir = GRAFANA.resolve("alertmanager");
    Result check = run(dir, "amtool", "check-config", "alertmanager.yml");
    assertEquals(0, check.exit(), check.output());
    assertTrue(check.output().contains("SUCCESS"), check.output());
    assertEquals(
        "qmon-pipeline",
        route(dir, "alertname=QmonJobDown", "component=pipeline", "severity=critical"));
    assertEquals(
        "qmon-runs-critical",
        route(dir, "alertname=QmonAnomaly", "severity=critical", "experiment=e", "run_id=r"));
    assertEquals(
        "qmon-runs-example-experiment",
        route(dir, "alertname=QmonAnomaly", "severity=warning", "experiment=example-experiment"));
    assertEquals(
        "qmon-runs", route(dir, "alertname=QmonAnomaly", "severity=warning", "experiment=e"));
    assertEquals("qmon-null", route(dir, "alertname=QmonAnomaly", "severity=info", "experiment=e"));
  }

  private static String route(Path dir, String... labels) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of("amtool", "config", "routes", "test", "--config.file=alertmanager.yml"));
    command.addAll(List.of(labels));
    Result result = run(dir, command.toArray(String[]::new));
    assertEquals(0, result.exit(), result.output());
    // amtool warns on stderr that --config.file overrides --alertmanager.url; the receiver is the
    // other line.
    return result
        .output()
        .lines()
        .filter(l -> !l.isBlank() && !l.startsWith("Warning:"))
        .findFirst()
        .orElse("")
        .trim();
  }

  private record Result(int exit, String output) {}

  private static Result run(Path dir, String... command) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " did not finish: " + output);
    }
    System.out.println("$ " + String.join(" ", command) + "\n" + output);
    return new Result(process.exitValue(), output);
  }
}

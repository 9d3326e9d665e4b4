package io.qmon.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qmon.stack.EmbeddedMlflow;
import io.qmon.tests.producers.VenvPython;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What a user sees in MLflow after {@code ./qmon demo}: the test runs a short demo, opens the
 * demo's MLflow store with the server command the demo prints, reads the runs back with MLflow's
 * own Python client (git commit, environment artifact, live distribution snapshots, curves, and the
 * sweep statistics on the configurations' parent runs, which the Python side checks against the
 * child runs' final values with NumPy and SciPy), and takes the README's pictures in headless
 * Chromium from that server, so they cannot go stale.
 */
class DemoMlflowIT {
  private static final Path ROOT =
      Path.of(System.getProperty("qmon.root", "..")).toAbsolutePath().normalize();
  private static final Path IMAGES = ROOT.resolve("docs/images");
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void shouldShowTheDemosRunsInMlflowWithCommitEnvironmentSnapshotsAndCurves() throws Exception {
    Path home = Path.of(System.getProperty("qmon.home")).resolve("demo-mlflow");
    deleteRecursively(home);
    Files.createDirectories(home);
    Path output = home.resolve("output.txt");
    Process demo = launchDemo(home, output);
    assertTrue(demo.waitFor(20, TimeUnit.MINUTES), "the demo ends by itself");
    assertEquals(0, demo.exitValue(), Files.readString(output));

    Path mlflowCommand = EmbeddedMlflow.command(ROOT).orElseThrow();
    try (EmbeddedMlflow mlflow =
        EmbeddedMlflow.start(
            mlflowCommand,
            home.resolve("mlflow"),
            home.resolve("mlflow-after.log"),
            Duration.ofSeconds(Long.getLong("qmon.startup-timeout-s", 240)),
            // One worker serves this test (a client and a browser) and starts sooner than two.
            1)) {
      VenvPython python = VenvPython.create();
      VenvPython.Result read =
          python.run(
              List.of(
                  ROOT.resolve("tests/src/test/python/demo_runs_check.py").toString(),
                  mlflow.url(),
                  "qmon-demo"),
              300);
      assertEquals(0, read.exitCode(), read.stderr());
      JsonNode found = JSON.readTree(read.stdout().get(read.stdout().size() - 1));
      JsonNode runs = found.path("runs");
      assertTrue(runs.size() >= 2, "the demo's runs are in MLflow: " + runs);
      JsonNode sweep = found.path("sweep");
      assertEquals(
          2, sweep.path("configurations").size(), "two sweep configurations checked: " + sweep);
      assertEquals(2, sweep.path("table").path("rows").asInt(), "the sweep table: " + sweep);

      String head = git("rev-parse", "HEAD");
      JsonNode shown = null;
      int finished = 0;
      for (JsonNode run : runs) {
        JsonNode tags = run.path("tags");
        if (!tags.has("qmon.run_id")) {
          continue; // a sweep's parent run: checked by demo_runs_check.py
        }
        assertEquals("FINISHED", run.path("status").asText(), "the demo waits for MLflow: " + run);
        finished++;
        assertEquals(head, tags.path("mlflow.source.git.commit").asText(), run.toString());
        assertEquals("java", tags.path("qmon.language").asText());
        JsonNode artifacts = run.path("artifacts");
        assertTrue(artifacts.path("run/environment.txt").asLong() > 0, "environment artifact");
        assertTrue(
            artifacts.path("distribution/epoch-00010.png").asLong() > 0,
            "a live distribution snapshot: " + artifacts);
        assertTrue(artifacts.path("metric_curves.png").asLong() > 0, "curves at close");
        assertTrue(run.path("metrics").has("jsd"), "jsd curve");
        if (shown == null || run.path("name").asText().compareTo(shown.path("name").asText()) < 0) {
          shown = run;
        }
      }
      assertEquals(5, finished, "four healthy runs and the faulty one: " + runs);

      Files.createDirectories(IMAGES);
      // The run's metric page with the curves that tell its story (JSD and KL against their
      // shot-noise floors, log scale): the run page's own tab draws all ~70 metrics, lazily, and a
      // screenshot of it showed loading spinners.
      String runPage =
          mlflow.url()
              + "/#/metric/jsd?runs="
              + query("[\"" + shown.path("id").asText() + "\"]")
              + "&metric="
              + query("\"jsd\"")
              + "&experiments="
              + query("[\"" + found.path("experiment_id").asText() + "\"]")
              + "&plot_metric_keys="
              + query("[\"jsd\",\"jsd_noise_floor\",\"kl\",\"kl_noise_floor\"]")
              + "&x_axis=step&y_axis_scale=log";
      Path screenshot = IMAGES.resolve("mlflow-run.png");
      String dom = chromium(runPage, screenshot);
      assertTrue(dom.contains(shown.path("name").asText()), "the page names the run");
      assertTrue(
          dom.contains("main-svg") && dom.contains("jsd_noise_floor"),
          "the chart is drawn (Plotly's SVG with the floor's curve) within the time budget");
      assertTrue(Files.size(screenshot) > 20_000, "a rendered page, not a blank one");
      Files.write(
          IMAGES.resolve("mlflow-sweep.png"),
          artifact(
              mlflow.url(), sweep.path("table").path("run").asText(), "sweep/configurations.png"));

      String lastSnapshot =
          fieldNames(shown.path("artifacts")).stream()
              .filter(p -> p.startsWith("distribution/epoch-") && p.endsWith(".png"))
              .max(Comparator.naturalOrder())
              .orElseThrow();
      Files.write(
          IMAGES.resolve("mlflow-distribution.png"),
          artifact(mlflow.url(), shown.path("id").asText(), lastSnapshot));
      System.out.printf(
          "DemoMlflowIT: %d runs read back; sweep checked: %s; pictures of run %s (%s), %s and the"
              + " sweep chart in %s%n",
          runs.size(), sweep, shown.path("name").asText(), runPage, lastSnapshot, IMAGES);
    }
  }

  /** {@code qmon demo} in its own JVM, from the repository root so the SDK sees its git commit. */
  private static Process launchDemo(Path home, Path output) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dqmon.home=" + home,
                "-Dqmon.log.file=" + home.resolve("qmon.log"),
                "-Dqmon.persist=false",
                // A loaded machine starts MLflow's server slowly: give the demo the test's
                // patience.
                "-Dqmon.startup-timeout-s=" + System.getProperty("qmon.startup-timeout-s", "240"),
                "-cp",
                System.getProperty("java.class.path"),
                "io.qmon.launcher.Qmon",
                "demo",
                "--runs",
                "4",
                "--duration-s",
                "20",
                "--plain"));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(ROOT.toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile());
    builder.environment().put("QMON_ROOT", ROOT.toString());
    return builder.start();
  }

  /**
   * Loads {@code url} in headless Chromium once: the page's DOM is returned and its picture taken
   * at the same moment (one page load of MLflow's UI instead of two).
   */
  private static String chromium(String url, Path screenshot) throws Exception {
    Process process =
        new ProcessBuilder(
                "chromium",
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--window-size=1920,1000",
                // Virtual time: network waits do not count against it and timers run ahead while
                // the page is idle, so the charts are drawn before the picture is taken.
                "--virtual-time-budget=60000",
                "--dump-dom",
                "--screenshot=" + screenshot,
                url)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(5, TimeUnit.MINUTES), "chromium ends");
    assertEquals(0, process.exitValue(), "chromium " + url);
    return out;
  }

  private static byte[] artifact(String mlflowUrl, String runId, String path) throws Exception {
    HttpResponse<byte[]> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            mlflowUrl
                                + "/get-artifact?run_uuid="
                                + runId
                                + "&path="
                                + URLEncoder.encode(path, StandardCharsets.UTF_8)))
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, response.statusCode(), path);
    return response.body();
  }

  private static String query(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static String git(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("git", "-C", ROOT.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(30, TimeUnit.SECONDS));
    assertFalse(out.isBlank(), "git " + String.join(" ", args));
    return out.trim();
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}

package io.qmon.tests.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qmon.stack.Ports;
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
import java.util.List;
import java.util.function.Predicate;

/** A real Prometheus (Debian package) scraping one target every second, queried over HTTP. */
final class PrometheusServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private final LocalServer server;

  private PrometheusServer(LocalServer server) {
    this.server = server;
  }

  static PrometheusServer start(Path workDir, String scrapeTarget) throws Exception {
    Files.createDirectories(workDir);
    Path config = workDir.resolve("prometheus.yml");
    Files.writeString(
        config,
        "global:\n"
            + "  scrape_interval: 1s\n"
            + "  evaluation_interval: 1s\n"
            + "scrape_configs:\n"
            + "  - job_name: qmon-sink\n"
            + "    static_configs:\n"
            + "      - targets: ['"
            + scrapeTarget
            + "']\n");
    int port = Ports.freeLoopbackPort();
    LocalServer server =
        new LocalServer(
            "prometheus",
            List.of(
                "prometheus",
                "--config.file=" + config,
                "--storage.tsdb.path=" + workDir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port),
            workDir,
            "http://127.0.0.1:" + port);
    server.awaitReady("/-/ready", Duration.ofSeconds(30));
    return new PrometheusServer(server);
  }

  /** The {@code data.result} array of an instant query. */
  JsonNode query(String promql) throws IOException, InterruptedException {
    URI uri =
        URI.create(
            server.baseUrl()
                + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    HttpResponse<String> response =
        http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    JsonNode body = JSON.readTree(response.body());
    if (!"success".equals(body.path("status").asText())) {
      throw new IllegalStateException("Query '" + promql + "' failed: " + response.body());
    }
    return body.path("data").path("result");
  }

  /** Repeats the query until its result satisfies the condition, returning the last result. */
  JsonNode awaitQuery(String promql, Predicate<JsonNode> done, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode result = query(promql);
    while (!done.test(result) && System.nanoTime() < deadline) {
      Thread.sleep(250);
      result = query(promql);
    }
    return result;
  }

  /** The value of the single sample of a result, or NaN when empty. */
  static double singleValue(JsonNode result) {
    return result.size() == 1 ? result.get(0).path("value").get(1).asDouble() : Double.NaN;
  }

  @Override
  public void close() {
    server.close();
  }
}

package io.qmon.tests.sink;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real server started by a test as a child process on loopback: waits until an HTTP path answers
 * 200, keeps its output in a log file, and is stopped (then killed) on close.
 */
class LocalServer implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String name;
  private final Process process;
  private final Path log;
  private final String baseUrl;

  LocalServer(String name, List<String> command, Path workDir, String baseUrl) throws IOException {
    this(name, command, workDir, baseUrl, Map.of());
  }

  /** As above, with {@code env} added to the server's environment. */
  LocalServer(
      String name, List<String> command, Path workDir, String baseUrl, Map<String, String> env)
      throws IOException {
    this.name = name;
    this.baseUrl = baseUrl;
    Files.createDirectories(workDir);
    this.log = workDir.resolve(name + ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(env);
    this.process = builder.start();
  }

  /** Polls GET baseUrl + path until it answers 200, failing with the log tail. */
  LocalServer awaitReady(String path, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            name + " exited with " + process.exitValue() + ":\n" + logTail());
      }
      try {
        HttpResponse<Void> response =
            HTTP.send(
                HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
          return this;
        }
      } catch (IOException e) {
        // Not listening yet: keep polling until the deadline.
        Thread.sleep(200);
        continue;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(name + " not ready within " + timeout + ":\n" + logTail());
  }

  String baseUrl() {
    return baseUrl;
  }

  String logTail() throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }

  @Override
  public void close() {
    try {
      stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void stop() throws InterruptedException {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}

package io.qmon.sink.prometheus;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The HTTP endpoint Prometheus scrapes ({@code /metrics}); binds to the given host only. */
public final class ScrapeEndpoint implements AutoCloseable {
  private final HTTPServer server;
  private final String host;

  private ScrapeEndpoint(HTTPServer server, String host) {
    this.server = server;
    this.host = host;
  }

  /** Starts serving the registry on host:port (port 0 picks a free one). */
  public static ScrapeEndpoint start(PrometheusRegistry registry, String host, int port) {
    try {
      HTTPServer server =
          HTTPServer.builder().hostname(host).port(port).registry(registry).buildAndStart();
      return new ScrapeEndpoint(server, host);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot start the Prometheus endpoint on " + host + ":" + port, e);
    }
  }

  public int port() {
    return server.getPort();
  }

  /** The address to scrape, e.g. {@code 127.0.0.1:9464}. */
  public String target() {
    return host + ":" + port();
  }

  @Override
  public void close() {
    server.close();
  }
}

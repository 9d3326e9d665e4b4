package io.qmon.tests.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A local HTTP receiver on loopback that records every JSON body POSTed to a path. */
final class WebhookReceiver implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpServer server;
  private final List<JsonNode> direct = new CopyOnWriteArrayList<>();
  private final List<JsonNode> alertmanager = new CopyOnWriteArrayList<>();

  WebhookReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/direct", exchange -> record(exchange, direct));
    server.createContext("/alertmanager", exchange -> record(exchange, alertmanager));
    server.start();
  }

  private static void record(com.sun.net.httpserver.HttpExchange exchange, List<JsonNode> into)
      throws IOException {
    try (InputStream body = exchange.getRequestBody()) {
      into.add(JSON.readTree(body));
    }
    exchange.sendResponseHeaders(200, -1);
    exchange.close();
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /** Bodies qmon POSTed directly. */
  List<JsonNode> direct() {
    return direct;
  }

  /** Bodies Alertmanager's webhook receiver POSTed. */
  List<JsonNode> alertmanager() {
    return alertmanager;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

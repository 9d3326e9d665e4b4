package io.qmon.tests.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code qmon demo} (broker, registry, Flink MiniCluster with the monitoring job, MLflow server and
 * writer, Prometheus scrape endpoint, alert notifier) listens on loopback only: every TCP socket in
 * LISTEN state owned by the launcher JVM or any of its child processes is bound to 127.0.0.1 or
 * ::1, and Flink's REST API (which cancels jobs without credentials) cannot be reached through this
 * machine's other addresses (the same port serves Flink's web UI, the URL qmon prints). Last, the
 * same demo is interrupted with Ctrl-C (SIGINT): it exits, and the processes it started are gone
 * too (one demo serves all three stories; a start costs about a minute on a loaded machine).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ListeningSocketsIT {
  private static final int STARTUP_TIMEOUT_S = Integer.getInteger("qmon.startup-timeout-s", 240);
  private static LauncherProcess demo;
  private static List<ListeningSockets.Listener> listeners;

  @BeforeAll
  static void startTheDemo() throws Exception {
    demo =
        LauncherProcess.start(
            "listening-sockets",
            List.of(),
            "demo",
            // Longer than the tests need: the last one interrupts it.
            "--duration-s",
            "300",
            "--runs",
            "2",
            "--plain");
    // The broker, the registry and MLflow each get the startup timeout; on a loaded machine the
    // stack alone took 151 s, so the sinks' line may come after more than one timeout's worth.
    demo.awaitOutput("prometheus scrape endpoint", 2 * STARTUP_TIMEOUT_S);
    demo.awaitOutput("MLflow", 60);
    listeners = ListeningSockets.of(demo.process.toHandle());
    System.out.println("Listening sockets of qmon demo (pid " + demo.process.pid() + "):");
    listeners.forEach(l -> System.out.println("  " + l));
  }

  @AfterAll
  static void stopTheDemo() throws Exception {
    if (demo != null) {
      demo.close();
    }
  }

  @Test
  @Order(1)
  void shouldListenOnLoopbackOnly() throws Exception {
    Set<Long> owners =
        listeners.stream().map(ListeningSockets.Listener::pid).collect(Collectors.toSet());
    assertTrue(
        owners.size() >= 4,
        "the launcher, broker, registry and MLflow each listen: "
            + listeners
            + "\n"
            + demo.output());
    assertTrue(owners.contains(demo.process.pid()), "the launcher JVM listens: " + listeners);
    List<ListeningSockets.Listener> open =
        listeners.stream().filter(l -> !ListeningSockets.isLoopback(l.address())).toList();
    assertEquals(List.of(), open, "sockets listening beyond loopback");
  }

  @Test
  @Order(2)
  void shouldNotLetAnotherAddressOfThisMachineReachFlinksRestApi() throws Exception {
    // A loaded machine can take seconds to answer the first REST call: ask a few times.
    Optional<Integer> found = Optional.empty();
    for (int attempt = 0; attempt < 3 && found.isEmpty(); attempt++) {
      found = flinkRestPort();
    }
    int restPort =
        found.orElseThrow(() -> new AssertionError("no Flink REST port among " + listeners));
    // The URL qmon prints for Flink opens its web UI: flink-runtime-web is on the classpath.
    HttpResponse<String> dashboard =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + restPort + "/"))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, dashboard.statusCode(), dashboard.body());
    assertTrue(
        dashboard.body().contains("<title>Apache Flink Web Dashboard</title>"), dashboard.body());
    Optional<InetAddress> external = nonLoopbackAddress();
    if (external.isEmpty()) {
      System.out.println(
          "ListeningSocketsIT: this machine has no non-loopback address; the REST port "
              + restPort
              + " was checked on loopback only");
      return;
    }
    for (ListeningSockets.Listener listener : listeners) {
      InetSocketAddress target = new InetSocketAddress(external.get(), listener.port());
      assertThrows(
          ConnectException.class,
          () -> {
            try (Socket socket = new Socket()) {
              socket.connect(target, 2000);
            }
          },
          "connecting to " + target + " (" + listener + ") is refused");
    }
    System.out.println(
        "ListeningSocketsIT: Flink REST port "
            + restPort
            + " and every other port refused on "
            + external.get().getHostAddress());
  }

  /** Ends the shared demo, so it runs last. */
  @Test
  @Order(3)
  void shouldLeaveNoProcessBehindWhenInterrupted() throws Exception {
    demo.awaitOutput("live metrics", 180);
    List<ProcessHandle> children = demo.process.descendants().toList();
    assertTrue(children.size() >= 2, "broker and registry run as child processes: " + children);

    new ProcessBuilder("kill", "-INT", Long.toString(demo.process.pid())).start().waitFor();

    assertTrue(demo.process.waitFor(120, TimeUnit.SECONDS), "the demo exits after Ctrl-C");
    assertEquals(130, demo.process.exitValue(), demo.output());
    for (ProcessHandle child : children) {
      child.onExit().get(30, TimeUnit.SECONDS);
      assertFalse(child.isAlive(), "child " + child.pid() + " is gone");
    }
    assertTrue(demo.output().contains("interrupted; everything is stopped"), demo.output());
  }

  /** The launcher's port that answers Flink's REST {@code /config} with its version. */
  private static Optional<Integer> flinkRestPort() {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    for (ListeningSockets.Listener listener : listeners) {
      if (listener.pid() != demo.process.pid()) {
        continue;
      }
      try {
        HttpResponse<String> answer =
            http.send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + listener.port() + "/config"))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() == 200 && answer.body().contains("flink-version")) {
          return Optional.of(listener.port());
        }
      } catch (IOException notHttp) {
        // An RPC or blob port: not the REST API.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    return Optional.empty();
  }

  private static Optional<InetAddress> nonLoopbackAddress() throws IOException {
    InetAddress ipv6 = null;
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nic.isUp() || nic.isLoopback()) {
        continue;
      }
      for (InetAddress address : Collections.list(nic.getInetAddresses())) {
        if (address.isLoopbackAddress() || address.isLinkLocalAddress()) {
          continue;
        }
        if (address instanceof Inet4Address) {
          return Optional.of(address);
        }
        ipv6 = address;
      }
    }
    assertFalse(ipv6 != null && ipv6.isLoopbackAddress());
    return Optional.ofNullable(ipv6);
  }
}

package io.qmon.sink.mlflow;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MlflowGatewayTest {
  /** A server that accepts connections and never answers: without a read timeout, a hang. */
  @Test
  void shouldGiveUpACallTheServerNeverAnswersAfterTheReadTimeout() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      List<Socket> accepted = new ArrayList<>();
      Thread acceptor =
          new Thread(
              () -> {
                try {
                  while (true) {
                    accepted.add(silent.accept());
                  }
                } catch (java.io.IOException closed) {
                  // The server socket closed at the end of the test.
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
      MlflowConnection connection =
          new MlflowConnection(
              "http://127.0.0.1:" + silent.getLocalPort(),
              Duration.ofSeconds(1),
              Duration.ofMillis(500),
              "",
              "",
              "");
      try (MlflowGateway gateway = new MlflowGateway(connection)) {
        long start = System.nanoTime();
        RuntimeException e = assertThrows(RuntimeException.class, () -> gateway.experimentId("e"));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < 10_000, "gave up after " + millis + " ms: " + e);
        assertTrue(millis >= 400, "waited for the read timeout, " + millis + " ms");
      }
      for (Socket socket : accepted) {
        socket.close();
      }
    }
  }
}

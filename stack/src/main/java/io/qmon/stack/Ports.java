package io.qmon.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free TCP ports on the loopback interface or a given address. */
public final class Ports {
  private Ports() {}

  /** A port that was free on 127.0.0.1 a moment ago. */
  public static int freeLoopbackPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("No free port on the loopback interface", e);
    }
  }

  /**
   * {@code port} when pinned (non-zero) and free on {@code address}, a free port when 0; a pinned
   * port that is taken fails at once with a message naming the service, rather than later with a
   * bind error in the service's own log.
   */
  public static int pinnedOrFree(int port, String address, String service) {
    if (port == 0) {
      return freePort(address);
    }
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException(
          "The port of the " + service + " must be in [1, 65535], got " + port);
    }
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(address))) {
      socket.setReuseAddress(true);
      return port;
    } catch (IOException e) {
      throw new IllegalStateException(
          "Port " + port + " of the " + service + " is in use on " + address + ": " + e, e);
    }
  }

  /** Whether {@code port} on {@code address} can be bound now. */
  public static boolean isFree(int port, String address) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(address))) {
      socket.setReuseAddress(true);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** A port that was free on {@code address} a moment ago. */
  public static int freePort(String address) {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(address))) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("No free port on " + address, e);
    }
  }
}

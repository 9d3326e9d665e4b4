package io.qmon.tests.security;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The TCP sockets in LISTEN state owned by a process tree, read from {@code /proc}: the socket
 * inodes of each process's file descriptors ({@code /proc/<pid>/fd -> socket:[inode]}) matched
 * against {@code /proc/net/tcp} and {@code /proc/net/tcp6}.
 */
final class ListeningSockets {
  /** One listening socket: its address, port and the process that owns it. */
  record Listener(InetAddress address, int port, long pid, String command) {
    @Override
    public String toString() {
      return address.getHostAddress() + ":" + port + " -> pid " + pid + " " + command;
    }
  }

  private static final String LISTEN = "0A";

  private ListeningSockets() {}

  /** Every listening socket of {@code root} and its descendants. */
  static List<Listener> of(ProcessHandle root) throws IOException {
    Map<String, Long> owners = new HashMap<>();
    List<ProcessHandle> tree = new ArrayList<>();
    tree.add(root);
    root.descendants().forEach(tree::add);
    for (ProcessHandle process : tree) {
      owners.putAll(socketInodes(process.pid()));
    }
    List<Listener> listeners = new ArrayList<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      List<String> lines = Files.readAllLines(Path.of(table));
      for (String line : lines.subList(1, lines.size())) {
        String[] columns = line.trim().split("\\s+");
        String inode = columns[9];
        if (!columns[3].equals(LISTEN) || !owners.containsKey(inode)) {
          continue;
        }
        String[] local = columns[1].split(":");
        long pid = owners.get(inode);
        listeners.add(
            new Listener(address(local[0]), Integer.parseInt(local[1], 16), pid, describe(pid)));
      }
    }
    return listeners;
  }

  private static Map<String, Long> socketInodes(long pid) {
    Map<String, Long> inodes = new HashMap<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      fds.forEach(
          fd -> {
            try {
              String target = Files.readSymbolicLink(fd).toString();
              if (target.startsWith("socket:[")) {
                inodes.put(target.substring(8, target.length() - 1), pid);
              }
            } catch (IOException closedMeanwhile) {
              // The descriptor was closed between listing and reading: not a listener then.
            }
          });
    } catch (IOException exited) {
      // The process exited while being read: it owns no socket any more.
    }
    return inodes;
  }

  /** The kernel writes addresses as 32-bit words in host (little-endian) byte order. */
  static InetAddress address(String hex) throws UnknownHostException {
    byte[] bytes = new byte[hex.length() / 2];
    for (int word = 0; word < bytes.length / 4; word++) {
      for (int i = 0; i < 4; i++) {
        int at = (word * 4 + (3 - i)) * 2;
        bytes[word * 4 + i] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
      }
    }
    return InetAddress.getByAddress(bytes);
  }

  /** The process's main class or program, from {@code /proc/<pid>/cmdline}. */
  private static String describe(long pid) {
    try {
      String[] args = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).split("\0");
      for (int i = args.length - 1; i >= 0; i--) {
        String arg = args[i];
        if (arg.startsWith("io.qmon.")
            || arg.startsWith("io.quarkus.")
            || arg.equals("kafka.Kafka")
            || arg.contains("mlflow")
            || arg.contains("spawn_main")) {
          return arg.length() > 60 ? arg.substring(0, 60) : arg;
        }
      }
      return args[0];
    } catch (IOException exited) {
      return "?";
    }
  }

  /** True for 127.0.0.0/8, ::1 and IPv4-mapped loopback. */
  static boolean isLoopback(InetAddress address) {
    return address.isLoopbackAddress()
        || address.getHostAddress().startsWith("::ffff:127.")
        || address.getHostAddress().equals("0:0:0:0:0:ffff:7f00:1");
  }
}

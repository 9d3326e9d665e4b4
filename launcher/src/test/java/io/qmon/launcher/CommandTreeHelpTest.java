package io.qmon.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qmon.bench.SinkBenchmark;
import io.qmon.sink.TrackingSinkMain;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every command of the picocli tree ({@code qmon} and its subcommands, the sink main, the sink
 * benchmark) answers {@code --help} and {@code -h} with its usage and status 0, and starts nothing:
 * this JVM opens no socket and no thread, and {@code qmon.home} stays unwritten.
 */
class CommandTreeHelpTest {
  /** A program and the arguments that reach one of its commands, e.g. qmon + [demo]. */
  private record Invocation(String usageName, Supplier<CommandLine> program, List<String> path) {
    /** Runs the command with {@code args}; returns status, standard output and error. */
    String[] run(String... args) {
      CommandLine line = program.get();
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      line.setOut(new PrintWriter(out));
      line.setErr(new PrintWriter(err));
      List<String> all = new ArrayList<>(path);
      all.addAll(List.of(args));
      int status = line.execute(all.toArray(String[]::new));
      return new String[] {Integer.toString(status), out.toString(), err.toString()};
    }
  }

  /** Every command of every program: qmon and each subcommand, the sink main, the bench. */
  private static List<Invocation> invocations() {
    List<Invocation> all = new ArrayList<>();
    Supplier<CommandLine> qmon = () -> Qmon.commandLine(Map.of());
    all.add(new Invocation("qmon", qmon, List.of()));
    for (String command : qmon.get().getSubcommands().keySet()) {
      all.add(new Invocation("qmon " + command, qmon, List.of(command)));
    }
    all.add(new Invocation("qmon-sink", () -> TrackingSinkMain.commandLine(Map.of()), List.of()));
    all.add(new Invocation("qmon-sink-bench", SinkBenchmark::commandLine, List.of()));
    return all;
  }

  @Test
  void shouldAnswerHelpEverywhereWithStatusZeroAndStartNothing(@TempDir Path home)
      throws Exception {
    Path qmonHome = home.resolve(".qmon");
    String previousHome = System.getProperty("qmon.home");
    System.setProperty("qmon.home", qmonHome.toString());
    try {
      Set<Long> threadsBefore = threadIds();
      List<String> socketsBefore = sockets();
      for (Invocation command : invocations()) {
        for (String help : List.of("--help", "-h")) {
          String[] result = command.run(help);
          String where = command.usageName() + " " + help;
          assertEquals("0", result[0], where + "\n" + result[2]);
          assertTrue(
              result[1].contains("Usage: " + command.usageName()),
              where + " prints its usage:\n" + result[1]);
          assertEquals("", result[2], where);
        }
      }
      assertFalse(Files.exists(qmonHome), "help wrote under qmon.home");
      assertEquals(socketsBefore, sockets(), "help opened a socket");
      Set<Long> newThreads = threadIds();
      newThreads.removeAll(threadsBefore);
      assertEquals(Set.of(), describe(newThreads), "help started threads");
    } finally {
      if (previousHome == null) {
        System.clearProperty("qmon.home");
      } else {
        System.setProperty("qmon.home", previousHome);
      }
    }
  }

  @Test
  void shouldPrintTheVersionEverywhere() {
    for (Invocation command : invocations()) {
      if (command.usageName().equals("qmon help")) {
        continue;
      }
      String[] result = command.run("--version");
      assertEquals("0", result[0], command.usageName() + "\n" + result[2]);
      assertTrue(result[1].startsWith("qmon "), command.usageName() + ": " + result[1]);
    }
  }

  @Test
  void shouldListEveryCommandInTheScriptsOwnUsage() throws IOException {
    String script = Files.readString(Path.of("..", "qmon"));
    String usage = script.substring(script.indexOf("<<'USAGE'"), script.indexOf("\nUSAGE\n"));
    for (String command : Qmon.commandLine(Map.of()).getSubcommands().keySet()) {
      assertTrue(
          usage.contains("\n  " + command + " "),
          "qmon's static usage lists '" + command + "':\n" + usage);
    }
    for (String scriptOnly : List.of("build", "test")) {
      assertTrue(usage.contains("\n  " + scriptOnly + " "), usage);
    }
  }

  @Test
  void shouldPassEveryArgumentOfAnArgsCommandThroughButAnswerHelpItself() {
    List<String> seen = new ArrayList<>();
    CommandLine qmon =
        Qmon.commandLine(Map.of())
            .addSubcommand(
                ArgsCommand.of(
                    "echo",
                    "Records its arguments.",
                    "<args>",
                    args -> {
                      seen.addAll(List.of(args));
                      return 3;
                    }));
    assertEquals(3, qmon.execute("echo", "--threshold", "0.5", "x"));
    assertEquals(List.of("--threshold", "0.5", "x"), seen);
    seen.clear();
    StringWriter out = new StringWriter();
    qmon.setOut(new PrintWriter(out));
    assertEquals(0, qmon.execute("echo", "--help"));
    assertEquals(List.of(), seen);
    assertTrue(out.toString().contains("Records its arguments."), out.toString());
  }

  private static Set<Long> threadIds() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getId)
        .collect(Collectors.toCollection(java.util.HashSet::new));
  }

  private static Set<String> describe(Set<Long> ids) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> ids.contains(t.getId()))
        // The JVM's own helpers (JIT, GC, reference handling) come and go on their own.
        .filter(t -> t.getThreadGroup() == null || !"system".equals(t.getThreadGroup().getName()))
        .map(Thread::getName)
        .collect(Collectors.toSet());
  }

  /** The socket file descriptors this JVM holds ({@code /proc/self/fd} links to socket:[...]). */
  private static List<String> sockets() throws IOException {
    Path fds = Path.of("/proc/self/fd");
    if (!Files.isDirectory(fds)) {
      return List.of();
    }
    List<String> sockets = new ArrayList<>();
    try (Stream<Path> links = Files.list(fds)) {
      for (Path link : links.toList()) {
        try {
          String target = Files.readSymbolicLink(link).toString();
          if (target.startsWith("socket:")) {
            sockets.add(target);
          }
        } catch (IOException closedMeanwhile) {
          // The directory listing's own descriptor is gone by the time it is read: not a socket.
        }
      }
    }
    sockets.sort(null);
    return sockets;
  }
}

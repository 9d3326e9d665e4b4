package io.qmon.tests.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ./qmon <command> --help}, as a user types it, answers with the command's usage and status
 * 0 and starts nothing: under {@code strace -f} no process of the tree calls {@code listen(2)} or
 * starts a program other than the script and its JVM, and {@code QMON_HOME} is not created. The
 * top-level {@code ./qmon help} answers from the script itself, without Java or Maven. The sink's
 * main and the sink benchmark are checked the same way.
 */
class CliHelpIT {
  private static final Path ROOT = Path.of(System.getProperty("qmon.root")).toAbsolutePath();

  /** What running the script itself takes: its shebang's env and bash, and dirname for its root. */
  private static final java.util.Set<String> SCRIPT =
      java.util.Set.of("qmon", "env", "bash", "dirname");

  /** One finished process: status, output and the system calls strace saw. */
  private record Run(int status, String output, List<String> calls) {
    List<String> listens() {
      return calls.stream().filter(c -> c.contains("listen(")).toList();
    }

    /** Programs started (successful execve calls), by file name. */
    List<String> programs() {
      List<String> programs = new ArrayList<>();
      for (String call : calls) {
        int start = call.indexOf("execve(\"");
        if (start >= 0 && call.trim().endsWith("= 0")) {
          String path = call.substring(start + 8, call.indexOf('"', start + 8));
          programs.add(Path.of(path).getFileName().toString());
        }
      }
      return programs;
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"demo", "stack", "sweep", "bench", "help"})
  void shouldAnswerCommandHelpAndStartNothing(String command, @TempDir Path dir) throws Exception {
    for (String help : List.of("--help", "-h")) {
      Path home = dir.resolve("qmon-home-" + help);
      Run run = traced(dir, home, true, ROOT.resolve("qmon").toString(), command, help);
      String where = "./qmon " + command + " " + help;
      assertEquals(0, run.status(), where + "\n" + run.output());
      assertTrue(run.output().contains("Usage: qmon " + command), where + ":\n" + run.output());
      assertEquals(List.of(), run.listens(), where + " listened on a socket");
      assertEquals(
          List.of(),
          run.programs().stream().filter(p -> !SCRIPT.contains(p) && !p.equals("java")).toList(),
          where + " started programs besides the script and its JVM: " + run.programs());
      assertFalse(Files.exists(home), where + " wrote " + home);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"help", "--help", "-h", ""})
  void shouldAnswerTopLevelHelpFromTheScriptWithoutBuilding(String help, @TempDir Path dir)
      throws Exception {
    Path home = dir.resolve("qmon-home");
    String[] command =
        help.isEmpty()
            ? new String[] {ROOT.resolve("qmon").toString()}
            : new String[] {ROOT.resolve("qmon").toString(), help};
    Run run = traced(dir, home, false, command);
    assertEquals(0, run.status(), run.output());
    for (String listed : List.of("demo", "stack", "sweep", "bench", "build", "test", "help")) {
      assertTrue(run.output().contains("\n  " + listed + " "), listed + " in\n" + run.output());
    }
    assertEquals(
        List.of(),
        run.programs().stream().filter(p -> !SCRIPT.contains(p) && !p.equals("cat")).toList(),
        "./qmon " + help + " runs no Java and no Maven");
    assertFalse(Files.exists(home));
  }

  @ParameterizedTest
  @ValueSource(strings = {"io.qmon.sink.TrackingSinkMain", "io.qmon.bench.SinkBenchmark"})
  void shouldAnswerHelpOfTheOtherMainsAndStartNothing(String main, @TempDir Path dir)
      throws Exception {
    Path home = dir.resolve("qmon-home");
    Run run =
        traced(
            dir,
            home,
            false,
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Dqmon.home=" + home,
            "-cp",
            System.getProperty("java.class.path"),
            main,
            "--help");
    assertEquals(0, run.status(), run.output());
    assertTrue(run.output().contains("Usage: qmon-sink"), run.output());
    assertEquals(List.of(), run.listens(), main + " --help listened on a socket");
    assertEquals(List.of("java"), run.programs(), main + " --help started other programs");
    assertFalse(Files.exists(home));
  }

  /**
   * Runs {@code command} under {@code strace -f} (listen and execve calls recorded), with {@code
   * QMON_HOME} set to {@code home} and, if {@code classpath}, the launcher's classpath given so the
   * script runs it without building.
   */
  private static Run traced(Path dir, Path home, boolean classpath, String... command)
      throws IOException, InterruptedException {
    assertTrue(
        new ProcessBuilder("strace", "-V").start().waitFor() == 0,
        "strace is installed (bin/system-deps installs it)");
    Path trace = Files.createTempFile(dir, "strace", ".txt");
    Path output = Files.createTempFile(dir, "output", ".txt");
    List<String> traced =
        new ArrayList<>(
            List.of("strace", "-f", "-qq", "-e", "trace=listen,execve", "-o", trace.toString()));
    traced.addAll(List.of(command));
    ProcessBuilder builder =
        new ProcessBuilder(traced)
            .directory(ROOT.toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile());
    builder.environment().put("QMON_HOME", home.toString());
    builder.environment().remove("QMON_CLASSPATH");
    if (classpath) {
      builder.environment().put("QMON_CLASSPATH", System.getProperty("java.class.path"));
    }
    Process process = builder.start();
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "finished in time: " + traced);
    return new Run(process.exitValue(), Files.readString(output), Files.readAllLines(trace));
  }
}

package io.qmon.tests.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The Python SDK's Qiskit Born machine example ({@code producers/python/examples}) publishing one
 * run in the background, from the project virtualenv ({@code bin/python-env}) with this worktree's
 * SDK on {@code PYTHONPATH}; its output goes to a log file.
 */
final class PythonSdkRun {
  private final Process process;
  private final Path log;

  private PythonSdkRun(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Starts publishing {@code epochs} epochs of run {@code runId}. */
  static PythonSdkRun start(
      String bootstrapServers, String registryUrl, String runId, int epochs, Path log)
      throws IOException, InterruptedException {
    Path root = Path.of(System.getProperty("qmon.root", ".")).toAbsolutePath().normalize();
    Process env =
        new ProcessBuilder(root.resolve("bin/python-env").toString())
            .directory(root.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String out = new String(env.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (!env.waitFor(15, TimeUnit.MINUTES) || env.exitValue() != 0 || out.isEmpty()) {
      throw new IllegalStateException("bin/python-env failed: " + out);
    }
    String python = out.lines().reduce((first, second) -> second).orElseThrow();
    ProcessBuilder builder =
        new ProcessBuilder(
                python,
                "producers/python/examples/qiskit_born_machine.py",
                "--bootstrap-servers",
                bootstrapServers,
                "--schema-registry-url",
                registryUrl,
                "--qubits",
                "3",
                "--epochs",
                Integer.toString(epochs),
                "--shots",
                "256",
                "--run-id",
                runId)
            .directory(root.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().put("PYTHONPATH", root.resolve("producers/python").toString());
    return new PythonSdkRun(builder.start(), log);
  }

  /** Waits for the run to finish publishing; fails with its output unless it exited 0. */
  void await(long timeoutSeconds) throws IOException, InterruptedException {
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("The Python run did not finish:\n" + Files.readString(log));
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException(
          "The Python run exited " + process.exitValue() + ":\n" + Files.readString(log));
    }
  }

  /** Ends the process if it still runs (after a failed test). */
  void stop() {
    process.destroyForcibly();
  }
}

package io.qmon.tests.producers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs Python in the project virtualenv ({@code bin/python-env}) and captures its output. */
final class VenvPython {
  /** What a finished Python process printed. */
  record Result(int exitCode, List<String> stdout, String stderr) {}

  private final Path root;
  private final String python;

  private VenvPython(Path root, String python) {
    this.root = root;
    this.python = python;
  }

  /** Builds the virtualenv on first use (it installs the qmon_sdk package from requirements). */
  static VenvPython create() throws IOException, InterruptedException {
    Path root = Path.of(System.getProperty("qmon.root", ".")).toAbsolutePath().normalize();
    Result env = run(root, List.of(root.resolve("bin/python-env").toString()), 900);
    if (env.exitCode() != 0 || env.stdout().isEmpty()) {
      throw new IllegalStateException("bin/python-env failed: " + env.stderr());
    }
    return new VenvPython(root, env.stdout().get(env.stdout().size() - 1).trim());
  }

  Path root() {
    return root;
  }

  Result run(List<String> args, long timeoutSeconds) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(python);
    command.addAll(args);
    return run(root, command, timeoutSeconds);
  }

  private static Result run(Path dir, List<String> command, long timeoutSeconds)
      throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).directory(dir.toFile()).start();
    CompletableFuture<String> err =
        CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
    CompletableFuture<String> out =
        CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(command + " did not finish in " + timeoutSeconds + " s");
    }
    return new Result(process.exitValue(), out.join().lines().toList(), err.join());
  }

  private static String read(java.io.InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "unreadable: " + e;
    }
  }
}

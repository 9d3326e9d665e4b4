package io.qmon.tests.producers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs Python in the project virtualenv ({@code bin/python-env}) and captures its output. The
 * checked-out SDK ({@code producers/python}) comes first on {@code PYTHONPATH}, so a worktree's
 * tests run its own {@code qmon_sdk} whatever the shared virtualenv's editable install points at.
 */
public final class VenvPython {
  /** What a finished Python process printed. */
  public record Result(int exitCode, List<String> stdout, String stderr) {}

  private final Path root;
  private final String python;

  private VenvPython(Path root, String python) {
    this.root = root;
    this.python = python;
  }

  /** Builds the virtualenv on first use (it installs the qmon_sdk package from requirements). */
  public static VenvPython create() throws IOException, InterruptedException {
    Path root = Path.of(System.getProperty("qmon.root", ".")).toAbsolutePath().normalize();
    Result env = run(root, List.of(root.resolve("bin/python-env").toString()), 900);
    if (env.exitCode() != 0 || env.stdout().isEmpty()) {
      throw new IllegalStateException("bin/python-env failed: " + env.stderr());
    }
    return new VenvPython(root, env.stdout().get(env.stdout().size() - 1).trim());
  }

  public Path root() {
    return root;
  }

  public Result run(List<String> args, long timeoutSeconds)
      throws IOException, InterruptedException {
    return run(args, Map.of(), timeoutSeconds);
  }

  /** Runs with extra environment variables (e.g. {@code QMON_BOOTSTRAP_SERVERS}). */
  Result run(List<String> args, Map<String, String> env, long timeoutSeconds)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(python);
    command.addAll(args);
    Map<String, String> withSdk = new HashMap<>(env);
    withSdk.put("PYTHONPATH", root.resolve("producers/python").toString());
    return run(root, command, withSdk, timeoutSeconds);
  }

  private static Result run(Path dir, List<String> command, long timeoutSeconds)
      throws IOException, InterruptedException {
    return run(dir, command, Map.of(), timeoutSeconds);
  }

  private static Result run(
      Path dir, List<String> command, Map<String, String> env, long timeoutSeconds)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().putAll(env);
    Process process = builder.start();
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

package io.qmon.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Heap in use after a full GC: of this JVM (which runs the Flink MiniCluster, the producer and the
 * consumer) through the MemoryMXBean, and of the broker's child JVM through {@code jcmd}.
 */
final class HeapProbe {
  private static final Pattern USED = Pattern.compile("used (\\d+)K");

  private HeapProbe() {}

  /** Bytes of heap used in this JVM right after {@code System.gc()}. */
  static long selfUsedAfterGc() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /**
   * Bytes of heap used in the child JVM running {@code mainClass} after a GC, or empty when it
   * cannot be asked (no jcmd next to this java, or the process is gone).
   */
  static OptionalLong childUsedAfterGc(String mainClass) {
    Optional<Path> jcmd =
        ProcessHandle.current()
            .info()
            .command()
            .map(java -> Path.of(java).resolveSibling("jcmd"))
            .filter(p -> p.toFile().canExecute());
    if (jcmd.isEmpty()) {
      return OptionalLong.empty();
    }
    Optional<String> pid = childPid(jcmd.get(), mainClass);
    if (pid.isEmpty() || jcmd(jcmd.get(), pid.get(), "GC.run").isEmpty()) {
      return OptionalLong.empty();
    }
    return jcmd(jcmd.get(), pid.get(), "GC.heap_info")
        .map(USED::matcher)
        .filter(Matcher::find)
        .map(m -> OptionalLong.of(Long.parseLong(m.group(1)) * 1024))
        .orElse(OptionalLong.empty());
  }

  /**
   * The child of this JVM whose main class or arguments name {@code mainClass}, from {@code jcmd
   * -l}: the children run under a watchdog main class, and their command lines are too long for
   * {@code ProcessHandle.Info} to return.
   */
  private static Optional<String> childPid(Path jcmd, String mainClass) {
    Set<String> children =
        ProcessHandle.current()
            .children()
            .map(p -> Long.toString(p.pid()))
            .collect(Collectors.toSet());
    return jcmd(jcmd, "-l", null).stream()
        .flatMap(String::lines)
        .map(line -> line.split(" ", 2))
        .filter(parts -> parts.length == 2 && parts[1].contains(mainClass))
        .map(parts -> parts[0])
        .filter(children::contains)
        .findFirst();
  }

  private static Optional<String> jcmd(Path jcmd, String pidOrOption, String command) {
    try {
      List<String> args = new ArrayList<>(List.of(jcmd.toString(), pidOrOption));
      if (command != null) {
        args.add(command);
      }
      Process process = new ProcessBuilder(args).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroy();
        return Optional.empty();
      }
      return Optional.of(output);
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}

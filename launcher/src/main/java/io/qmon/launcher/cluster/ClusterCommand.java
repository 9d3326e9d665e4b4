package io.qmon.launcher.cluster;

import io.qmon.stack.StackSettings;
import io.qmon.stack.cluster.LocalCluster;
import io.qmon.stack.cluster.LocalClusterSettings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code qmon cluster [--task-managers N] [--parallelism P]}: the docker-compose topology as local
 * processes ({@link LocalCluster}), up until Ctrl-C. Prints every URL once all of it runs; exits 1
 * if a process of it dies or the job stops running, after stopping the rest.
 */
public final class ClusterCommand {
  /** Exit status when a process of the cluster died or the job stopped. */
  public static final int CLUSTER_FAILED = 1;

  private static final String USAGE =
      "usage: qmon cluster [--task-managers N (default 2)] [--parallelism P (default N)]";

  private ClusterCommand() {}

  /** Runs the command with {@code args} (those after {@code cluster}); returns the exit status. */
  public static int run(String[] args, PrintStream out) throws Exception {
    int taskManagers = 2;
    Integer parallelism = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--task-managers" -> taskManagers = intValue(args, ++i);
        case "--parallelism" -> parallelism = intValue(args, ++i);
        case "--help", "-h" -> {
          out.println(USAGE);
          return 0;
        }
        default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'\n" + USAGE);
      }
    }
    LocalClusterSettings settings =
        new LocalClusterSettings(
            root(),
            StackSettings.fromSystemProperties(),
            taskManagers,
            parallelism == null ? taskManagers : parallelism);
    return run(settings, out);
  }

  private static int run(LocalClusterSettings settings, PrintStream out) throws Exception {
    CountDownLatch stop = new CountDownLatch(1);
    CountDownLatch stopped = new CountDownLatch(1);
    AtomicBoolean ctrlC = new AtomicBoolean();
    // Ctrl-C runs this hook; it lets the main thread stop the processes in order and waits for
    // that, because the JVM halts as soon as its hooks return.
    Thread onCtrlC =
        new Thread(
            () -> {
              ctrlC.set(true);
              stop.countDown();
              try {
                stopped.await(90, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "qmon-cluster-shutdown");
    Runtime.getRuntime().addShutdownHook(onCtrlC);
    long startedAt = System.nanoTime();
    LocalCluster cluster = null;
    try {
      cluster = LocalCluster.start(settings, out);
      long seconds = Duration.ofNanos(System.nanoTime() - startedAt).toSeconds();
      out.println("qmon cluster is up in " + seconds + " s (Ctrl-C stops everything)");
      for (Map.Entry<String, String> url : cluster.urls().entrySet()) {
        out.printf("  %-28s: %s%n", url.getKey(), url.getValue());
      }
      out.printf("  %-28s: %s%n", "logs", settings.logDir());
      for (String notice : cluster.notices()) {
        out.println("  notice: " + notice);
      }
      out.flush();
      while (!stop.await(5, TimeUnit.SECONDS)) {
        try {
          cluster.checkAlive();
        } catch (IllegalStateException e) {
          System.err.println("qmon cluster: " + e.getMessage() + "; stopping everything");
          return CLUSTER_FAILED;
        }
      }
      out.println("qmon cluster: stopping everything ...");
      return 0;
    } finally {
      if (cluster != null) {
        cluster.close();
      }
      if (ctrlC.get()) {
        out.println("qmon cluster: everything is stopped");
        out.flush();
      }
      stopped.countDown();
    }
  }

  private static int intValue(String[] args, int i) {
    if (i >= args.length) {
      throw new IllegalArgumentException(args[i - 1] + " needs a number\n" + USAGE);
    }
    try {
      return Integer.parseInt(args[i]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          args[i - 1] + " needs a number, not '" + args[i] + "'\n" + USAGE, e);
    }
  }

  /** The qmon checkout: {@code qmon.root}, else {@code QMON_ROOT} (set by ./qmon), else here. */
  private static Path root() {
    String root = System.getProperty("qmon.root");
    if (root == null) {
      root = System.getenv().getOrDefault("QMON_ROOT", ".");
    }
    return Path.of(root).toAbsolutePath().normalize();
  }
}

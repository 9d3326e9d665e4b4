package io.qmon.stack.cluster;

import io.qmon.stack.StackSettings;
import java.nio.file.Path;

/**
 * What {@code qmon cluster} starts and where it keeps its files.
 *
 * @param root the qmon checkout: {@code bin/}, {@code grafana/}, the built jars, {@code .venv}
 * @param stack the embedded broker and registry settings (home, timeouts, partitions)
 * @param taskManagers how many Flink TaskManagers to start (one slot each)
 * @param parallelism the job's parallelism (at most {@code taskManagers})
 */
public record LocalClusterSettings(
    Path root, StackSettings stack, int taskManagers, int parallelism) {

  public LocalClusterSettings {
    if (taskManagers < 1) {
      throw new IllegalArgumentException("--task-managers must be at least 1, not " + taskManagers);
    }
    if (parallelism < 1 || parallelism > taskManagers) {
      throw new IllegalArgumentException(
          "--parallelism must be between 1 and --task-managers ("
              + taskManagers
              + "), not "
              + parallelism);
    }
  }

  /** Files of the local cluster: Flink, Prometheus, Alertmanager, MLflow, checkpoints. */
  public Path home() {
    return stack.home().resolve("cluster");
  }

  /** The logs of every process. */
  public Path logDir() {
    return stack.logDir().resolve("cluster");
  }
}

package io.qmon.sink.mlflow;

import io.qmon.sink.Bounded;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.mlflow.api.proto.Service.RunInfo;

/**
 * Writes qmon runs into MLflow from the metric records the consumer hands over, on {@code
 * writerThreads} generic {@link WriterLane}s that send their requests concurrently, each through
 * its own {@link MlflowDestination}. Each qmon run belongs to one lane (by hash of its run id,
 * {@link #laneOf}), so a run's creation, the order of its points, the points MLflow already has and
 * its finalisation stay on one thread. What lanes share: the experiment ids and sweep parent runs
 * (looked up or created under one lock, so two lanes never create the same parent), the counters,
 * the offset tracker (a partition's commit point is its oldest record not yet accepted by any lane)
 * and the capacity: at most {@code queueCapacity} records wait in the lanes' queues together; the
 * consumer pauses before that is reached.
 */
public final class MlflowWriter implements AutoCloseable {
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(60);

  /** Tunables of the writer. */
  public record Settings(
      int batchMaxMetrics,
      int queueCapacity,
      Duration linger,
      Duration retryInitial,
      Duration retryMax,
      Duration closeWait,
      int writerThreads) {
    WriterLane.Settings lane() {
      return new WriterLane.Settings(batchMaxMetrics, linger, retryInitial, retryMax, closeWait);
    }
  }

  /** State the lanes share; lookups that may call MLflow run under the instance's lock. */
  static final class Shared {
    /** Runs whose UI page is remembered for the alert notifier; the oldest are forgotten. */
    static final int MAX_RUN_PAGES = 10_000;

    private final Map<String, String> experiments = new HashMap<>();
    private final Map<String, String> parents = new HashMap<>();
    private final Map<String, String> runPages = Bounded.leastRecentlyUsedMap(MAX_RUN_PAGES);

    /** Remembers the MLflow run of a qmon run, for {@link #runPage}. */
    synchronized void rememberRun(String qmonRunId, RunInfo run) {
      runPages.put(qmonRunId, "#/experiments/" + run.getExperimentId() + "/runs/" + run.getRunId());
    }

    /**
     * The MLflow UI route of a qmon run's page ({@code #/experiments/<id>/runs/<id>}, to append to
     * the UI's base URL), once a lane has created or found its run.
     */
    synchronized Optional<String> runPage(String qmonRunId) {
      return Optional.ofNullable(runPages.get(qmonRunId));
    }

    synchronized String experimentId(String name, Supplier<String> lookup) {
      String id = experiments.get(name);
      if (id == null) {
        id = lookup.get();
        experiments.put(name, id);
      }
      return id;
    }

    synchronized String sweepRun(String experimentId, Supplier<String> lookup) {
      return parentRun(experimentId, "", lookup);
    }

    synchronized String parentRun(String experimentId, String configId, Supplier<String> lookup) {
      String key = experimentId + "/" + configId;
      String id = parents.get(key);
      if (id == null) {
        id = lookup.get();
        parents.put(key, id);
      }
      return id;
    }
  }

  private final WriterStats stats = new WriterStats();
  private final Shared shared = new Shared();
  private final Semaphore capacity;
  private final List<WriterLane> lanes = new ArrayList<>();
  private final List<MlflowApi> clients;

  /** One lane per client (each lane calls MLflow through its own client); closes them on close. */
  MlflowWriter(
      List<? extends MlflowApi> clients,
      Settings settings,
      OffsetTracker offsets,
      LongSupplier clock) {
    if (clients.isEmpty() || clients.size() != settings.writerThreads()) {
      throw new IllegalArgumentException(
          "One MLflow client per writer lane expected: "
              + clients.size()
              + " for "
              + settings.writerThreads());
    }
    this.clients = List.copyOf(clients);
    this.capacity = new Semaphore(settings.queueCapacity());
    for (int i = 0; i < clients.size(); i++) {
      RunDestination destination =
          new MlflowDestination(clients.get(i), shared, stats, settings.batchMaxMetrics());
      lanes.add(new WriterLane(i, destination, settings.lane(), offsets, clock, stats, capacity));
    }
  }

  /** What the lanes share, for the sweep feed to find the same parent runs. */
  Shared shared() {
    return shared;
  }

  MlflowWriter start() {
    lanes.forEach(WriterLane::start);
    return this;
  }

  /** The lane that writes the run: a stable hash of its id, so one run is always on one lane. */
  static int laneOf(String runId, int lanes) {
    return Math.floorMod(runId.hashCode(), lanes);
  }

  /**
   * Hands a record to its run's lane; blocks while the lanes hold {@code queueCapacity} records
   * (the consumer pauses before that).
   */
  void submit(Work work) throws InterruptedException {
    checkNotFailed();
    int lane = laneOf(work.value().getRunId(), lanes.size());
    while (!capacity.tryAcquire(100, TimeUnit.MILLISECONDS)) {
      checkNotFailed();
    }
    lanes.get(lane).enqueue(work);
  }

  private void checkNotFailed() {
    for (WriterLane lane : lanes) {
      RuntimeException failed = lane.failure();
      if (failed != null) {
        throw new IllegalStateException("MLflow writer failed", failed);
      }
    }
  }

  /** How many more records the lanes may hold in their queues, together. */
  int remainingCapacity() {
    return capacity.availablePermits();
  }

  /** Records queued per lane and not taken yet. */
  List<Integer> queuedPerLane() {
    return lanes.stream().map(WriterLane::queued).toList();
  }

  int lanes() {
    return lanes.size();
  }

  public WriterStats stats() {
    return stats;
  }

  /** True while some lane is paused because MLflow refuses the sink's credentials. */
  boolean paused() {
    return lanes.stream().anyMatch(WriterLane::paused);
  }

  /** True once a writer lane ended on an unexpected error. */
  boolean failed() {
    return lanes.stream().anyMatch(l -> l.failure() != null);
  }

  /**
   * Stops every lane after writing what is pending, if MLflow takes it (the rest is replayed on
   * restart), then closes the MLflow clients.
   */
  @Override
  public void close() throws InterruptedException {
    lanes.forEach(WriterLane::stop);
    long deadline = System.nanoTime() + CLOSE_TIMEOUT.toNanos();
    try {
      for (WriterLane lane : lanes) {
        lane.join(deadline);
      }
    } finally {
      clients.forEach(MlflowApi::close);
    }
  }
}

package io.qmon.sink.mlflow;

import io.qmon.schemas.MetricRecord;
import io.qmon.schemas.RunEvent;
import io.qmon.schemas.ShotCounts;
import io.qmon.schemas.TargetDistribution;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;

/**
 * Writes qmon runs into MLflow from records the consumer hands over, on {@code writerThreads} lanes
 * that send their LogBatch requests concurrently. Each qmon run belongs to one lane (by hash of its
 * run id, {@link #laneOf}), so a run's creation, the order of its points, the points MLflow already
 * has and its finalization stay on one thread (see {@link WriterLane}). What lanes share: the
 * experiment ids and sweep parent runs (looked up or created under one lock, so two lanes never
 * create the same parent), the target distributions (kept when handed over), the counters, the
 * offset tracker (a partition's commit point is its oldest record not yet accepted by any lane) and
 * the capacity: at most {@code queueCapacity} records wait in the lanes' queues together, whatever
 * lane they go to; the consumer pauses before that is reached.
 */
public final class MlflowWriter implements AutoCloseable {
  static final String SWEEP_TAG = "qmon.sweep_config";
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(60);

  /** Tunables of the writer. */
  public record Settings(
      int batchMaxMetrics,
      int queueCapacity,
      Duration linger,
      Duration retryInitial,
      Duration retryMax,
      Duration finishGrace,
      Duration stallTimeout,
      int writerThreads) {}

  /** State the lanes share; lookups that may call MLflow run under the instance's lock. */
  static final class Shared {
    private final Map<String, String> experiments = new HashMap<>();
    private final Map<String, String> parents = new HashMap<>();
    private final Map<String, TargetDistribution> targets = new ConcurrentHashMap<>();

    synchronized String experimentId(String name, Supplier<String> lookup) {
      String id = experiments.get(name);
      if (id == null) {
        id = lookup.get();
        experiments.put(name, id);
      }
      return id;
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

    void putTarget(TargetDistribution target) {
      targets.put(target.getTargetId(), target);
    }

    TargetDistribution target(String targetId) {
      return targetId == null ? null : targets.get(targetId);
    }
  }

  private final WriterStats stats = new WriterStats();
  private final Shared shared = new Shared();
  private final OffsetTracker offsets;
  private final Semaphore capacity;
  private final List<WriterLane> lanes = new ArrayList<>();
  private final List<MlflowGateway> gateways;

  /** One lane per gateway (each lane calls MLflow through its own client); closes them on close. */
  MlflowWriter(
      List<MlflowGateway> gateways, Settings settings, OffsetTracker offsets, LongSupplier clock) {
    if (gateways.isEmpty() || gateways.size() != settings.writerThreads()) {
      throw new IllegalArgumentException(
          "One gateway per writer lane expected: "
              + gateways.size()
              + " for "
              + settings.writerThreads());
    }
    this.gateways = List.copyOf(gateways);
    this.offsets = offsets;
    this.capacity = new Semaphore(settings.queueCapacity());
    for (int i = 0; i < gateways.size(); i++) {
      lanes.add(
          new WriterLane(i, gateways.get(i), settings, offsets, clock, stats, shared, capacity));
    }
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
   * The lane of a record (the lane of its run), or -1 for records no lane needs: target
   * distributions (kept in the shared state) and anything unknown.
   */
  static int route(SpecificRecord value, int lanes) {
    if (value instanceof MetricRecord record) {
      return laneOf(record.getRunId(), lanes);
    } else if (value instanceof RunEvent event) {
      return laneOf(event.getRunId(), lanes);
    } else if (value instanceof ShotCounts shots) {
      return laneOf(shots.getRunId(), lanes);
    }
    return -1;
  }

  /**
   * Hands a record to its run's lane; blocks while the lanes hold {@code queueCapacity} records
   * (the consumer pauses before that). Records no lane needs are completed here.
   */
  void submit(Work work) throws InterruptedException {
    checkNotFailed();
    int lane = route(work.value(), lanes.size());
    if (lane < 0) {
      if (work.value() instanceof TargetDistribution target) {
        shared.putTarget(target);
      }
      offsets.complete(work.partition(), work.offset());
      return;
    }
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

  /** Metric records held because their run's start has not been seen, over all lanes. */
  int parkedCount() {
    return lanes.stream().mapToInt(WriterLane::parkedCount).sum();
  }

  public WriterStats stats() {
    return stats;
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
      gateways.forEach(MlflowGateway::close);
    }
  }
}

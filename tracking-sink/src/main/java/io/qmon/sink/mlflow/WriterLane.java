package io.qmon.sink.mlflow;

import io.qmon.schemas.MetricRecord;
import io.qmon.schemas.MetricScope;
import io.qmon.sink.Bounded;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One generic writer lane on its own thread, in the manner of flink-connector-base's {@code
 * AsyncSinkWriter}: it buffers the metric records of the runs that hash to it, batches them per run
 * (up to {@code batchMaxMetrics} points or {@code linger}), keeps each run's records in order
 * around its RUN_OPENED and RUN_CLOSED, retries failed calls with exponential backoff and completes
 * a record's offset only once the {@link RunDestination} accepted it. Everything that speaks to the
 * tracking server is behind that interface.
 *
 * <p>A run's records travel on several partitions, so its RUN_CLOSED can be read before the record
 * of its last epoch: the close then waits (uncommitted) until that epoch's record arrives or {@code
 * closeWait} passes, so the run's charts, drawn when it closes, have every epoch.
 *
 * <p>Failure handling: a transient failure is retried (the destination calls are idempotent); an
 * {@link UnauthorizedException} pauses the lane (ERROR log, {@code authFailures} counter, {@code
 * paused} flag) and retries with backoff without completing anything; a {@link
 * RunRejectedException} gives up that run only: its buffered and later records are skipped with the
 * reason and completed, so the commit point moves past them while every other run is written.
 */
final class WriterLane {
  private static final Logger LOG = LoggerFactory.getLogger(WriterLane.class);

  /** Runs given up as rejected, remembered so their later records are skipped (bounded). */
  private static final int MAX_REMEMBERED_REJECTIONS = 10_000;

  /** Runs whose highest epoch read is remembered. */
  private static final int MAX_REMEMBERED_EPOCHS = 100_000;

  /** Tunables of a lane. */
  record Settings(
      int batchMaxMetrics,
      Duration linger,
      Duration retryInitial,
      Duration retryMax,
      Duration closeWait) {}

  /** A RUN_CLOSED read before the record of its run's last epoch. */
  private record WaitingClose(Work work, int lastEpoch, long deadlineMillis) {}

  /** The lane is stopping while a call still failed; unwritten records are replayed on restart. */
  static final class Stopped extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Stopped(String what) {
      super("Writer stopped while retrying " + what);
    }
  }

  private final RunDestination destination;
  private final Settings settings;
  private final OffsetTracker offsets;
  private final LongSupplier clock;
  private final WriterStats stats;
  private final Semaphore capacity;
  private final BlockingQueue<Work> queue = new LinkedBlockingQueue<>();
  private final Map<String, List<Work>> pending = new LinkedHashMap<>();
  private final Set<String> rejected = Bounded.oldestFirstSet(MAX_REMEMBERED_REJECTIONS);

  /** The highest epoch read per run, for closes that arrive first (bounded, least recent out). */
  private final Map<String, Integer> lastEpochs =
      Bounded.leastRecentlyUsedMap(MAX_REMEMBERED_EPOCHS);

  private final Map<String, WaitingClose> waitingCloses = new LinkedHashMap<>();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile boolean paused;
  private volatile RuntimeException failure;
  private int pendingPoints;
  private long oldestPendingMillis;

  WriterLane(
      int index,
      RunDestination destination,
      Settings settings,
      OffsetTracker offsets,
      LongSupplier clock,
      WriterStats stats,
      Semaphore capacity) {
    this.destination = destination;
    this.settings = settings;
    this.offsets = offsets;
    this.clock = clock;
    this.stats = stats;
    this.capacity = capacity;
    this.thread = new Thread(this::loop, "qmon-mlflow-writer-" + index);
  }

  void start() {
    thread.start();
  }

  /**
   * Queues a record whose permit of the writer's shared capacity was taken; the lane gives the
   * permit back when it takes the record off its queue.
   */
  void enqueue(Work work) {
    queue.add(work);
  }

  /** Records queued for this lane and not taken yet. */
  int queued() {
    return queue.size();
  }

  /** The error the lane ended on, or null. */
  RuntimeException failure() {
    return failure;
  }

  /** True while the destination refuses the sink's credentials. */
  boolean paused() {
    return paused;
  }

  private void loop() {
    List<Work> drained = new ArrayList<>();
    try {
      while (running) {
        Work first = queue.poll(settings.linger().toMillis(), TimeUnit.MILLISECONDS);
        if (first != null) {
          capacity.release();
          handle(first);
          drained.clear();
          queue.drainTo(drained, 4 * settings.batchMaxMetrics());
          capacity.release(drained.size());
          for (Work work : drained) {
            handle(work);
          }
        }
        if (pendingPoints >= settings.batchMaxMetrics()
            || (pendingPoints > 0
                && (first == null
                    || clock.getAsLong() - oldestPendingMillis >= settings.linger().toMillis()))) {
          flushAll();
        }
        if (!waitingCloses.isEmpty()) {
          closeOverdue();
        }
      }
      flushAll();
    } catch (Stopped e) {
      LOG.info("MLflow writer lane stopped; unwritten records are replayed on restart: {}", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.info("MLflow writer lane interrupted; unwritten records are replayed on restart");
    } catch (RuntimeException e) {
      failure = e;
      LOG.error("MLflow writer lane failed; unwritten records are replayed on restart", e);
    }
  }

  /**
   * Takes one record: a lifecycle record is applied at once, after the run's buffered points (a
   * RUN_CLOSED possibly after waiting for its last epoch); points are buffered.
   */
  void handle(Work work) {
    MetricRecord record = work.value();
    String runId = record.getRunId();
    if (rejected.contains(runId)) {
      skip(work, "its run was rejected earlier");
      return;
    }
    MetricScope scope = record.getScope();
    if (scope == MetricScope.RUN_CLOSED && waitForLastEpoch(work)) {
      return;
    }
    if (scope == MetricScope.RUN_OPENED || scope == MetricScope.RUN_CLOSED) {
      applyLifecycle(work);
      return;
    }
    if (pendingPoints == 0) {
      oldestPendingMillis = clock.getAsLong();
    }
    pending.computeIfAbsent(runId, r -> new ArrayList<>()).add(work);
    pendingPoints += record.getMetrics().size() + record.getNoiseFloors().size();
    if (scope == MetricScope.EPOCH) {
      int epoch = lastEpochs.merge(runId, record.getLastEpoch(), Math::max);
      WaitingClose waiting = waitingCloses.get(runId);
      if (waiting != null && epoch >= waiting.lastEpoch()) {
        waitingCloses.remove(runId);
        applyLifecycle(waiting.work());
      }
    }
  }

  /**
   * Parks a RUN_CLOSED whose run's last epoch was not read yet (true); a close read again while one
   * waits lets the earlier one go first, so no record is held twice.
   */
  private boolean waitForLastEpoch(Work close) {
    String runId = close.value().getRunId();
    WaitingClose earlier = waitingCloses.remove(runId);
    if (earlier != null) {
      applyLifecycle(earlier.work());
    }
    int lastEpoch = close.value().getLastEpoch();
    if (settings.closeWait().isZero()
        || lastEpoch <= 0
        || lastEpochs.getOrDefault(runId, 0) >= lastEpoch) {
      return false;
    }
    waitingCloses.put(
        runId,
        new WaitingClose(close, lastEpoch, clock.getAsLong() + settings.closeWait().toMillis()));
    return true;
  }

  /** Closes the runs whose last epoch did not arrive within {@code closeWait}. */
  void closeOverdue() {
    long now = clock.getAsLong();
    List<WaitingClose> overdue = new ArrayList<>();
    waitingCloses.values().removeIf(w -> w.deadlineMillis() <= now && overdue.add(w));
    for (WaitingClose waiting : overdue) {
      LOG.info(
          "Closing run {} without reading epoch {} within {} (mlflow.close-wait): it was written"
              + " before this sink started, or was never scored",
          waiting.work().value().getRunId(),
          waiting.lastEpoch(),
          settings.closeWait());
      applyLifecycle(waiting.work());
    }
  }

  /** Applies a RUN_OPENED or RUN_CLOSED, after the run's buffered points. */
  private void applyLifecycle(Work work) {
    MetricRecord record = work.value();
    String runId = record.getRunId();
    MetricScope scope = record.getScope();
    flush(runId);
    if (rejected.contains(runId)) {
      skip(work, "its run was rejected");
      return;
    }
    boolean done =
        attempt(
            runId,
            scope == MetricScope.RUN_OPENED ? "opening run " + runId : "closing run " + runId,
            () -> {
              if (scope == MetricScope.RUN_OPENED) {
                destination.open(record);
              } else {
                destination.close(record);
              }
            });
    if (done) {
      complete(work);
      if (scope == MetricScope.RUN_CLOSED) {
        stats.runsFinished.incrementAndGet();
      }
    } else {
      skip(work, "its run was rejected");
    }
  }

  /** Writes every run's buffered records. */
  void flushAll() {
    for (String runId : new ArrayList<>(pending.keySet())) {
      flush(runId);
    }
  }

  private void flush(String runId) {
    List<Work> works = pending.remove(runId);
    if (works == null) {
      return;
    }
    int points = 0;
    List<MetricRecord> records = new ArrayList<>(works.size());
    for (Work work : works) {
      records.add(work.value());
      points += work.value().getMetrics().size() + work.value().getNoiseFloors().size();
    }
    pendingPoints -= points;
    if (attempt(
        runId, "writing metrics of run " + runId, () -> destination.write(runId, records))) {
      works.forEach(this::complete);
    } else {
      works.forEach(w -> skip(w, "its run was rejected"));
    }
  }

  /**
   * Calls the destination until it succeeds (true) or rejects the run (false), backing off between
   * attempts; throws {@link Stopped} when the lane stops meanwhile.
   */
  private boolean attempt(String runId, String what, Runnable call) {
    long backoff = Math.max(1, settings.retryInitial().toMillis());
    long maxBackoff = Math.max(backoff, settings.retryMax().toMillis());
    while (true) {
      try {
        call.run();
        if (paused) {
          paused = false;
          LOG.info("MLflow accepts the sink's credentials again: resuming");
        }
        return true;
      } catch (RunRejectedException e) {
        reject(runId, e);
        return false;
      } catch (UnauthorizedException e) {
        paused = true;
        stats.authFailures.incrementAndGet();
        LOG.error(
            "MLflow refuses the sink's credentials while {}: writing paused, nothing committed;"
                + " retrying in {} ms: {}",
            what,
            backoff,
            e.getMessage());
      } catch (Stopped e) {
        throw e;
      } catch (RuntimeException e) {
        stats.retries.incrementAndGet();
        LOG.warn("{} failed ({}); retrying in {} ms", what, e.toString(), backoff);
      }
      if (!running) {
        throw new Stopped(what);
      }
      try {
        Thread.sleep(backoff);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new Stopped(what);
      }
      backoff = Math.min(maxBackoff, backoff * 2);
    }
  }

  private void reject(String runId, RunRejectedException e) {
    rejected.add(runId);
    stats.rejectedRuns.incrementAndGet();
    LOG.error(
        "Run {} rejected by MLflow; skipping its records (other runs go on): {}",
        runId,
        e.getMessage());
    destination.forget(runId);
    List<Work> works = pending.remove(runId);
    if (works != null) {
      for (Work work : works) {
        pendingPoints -= work.value().getMetrics().size() + work.value().getNoiseFloors().size();
        skip(work, "its run was rejected");
      }
    }
  }

  private void skip(Work work, String reason) {
    stats.skippedRecords.incrementAndGet();
    LOG.debug(
        "Skipping record {} of run {}: {}",
        work.value().getRecordId(),
        work.value().getRunId(),
        reason);
    complete(work);
  }

  private void complete(Work work) {
    offsets.complete(work.partition(), work.offset());
  }

  /** Asks the lane to stop after writing what is pending, if the destination takes it. */
  void stop() {
    running = false;
  }

  /** Waits up to the deadline (System.nanoTime) for the lane's thread to end. */
  void join(long deadlineNanos) throws InterruptedException {
    long millis = Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000);
    thread.join(millis);
  }
}

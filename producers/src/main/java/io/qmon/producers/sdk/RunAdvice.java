package io.qmon.producers.sdk;

import io.qmon.schemas.Advice;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The advice received for one run: in arrival order, deduplicated by advice id, records of other
 * runs ignored. Thread-safe: the reader thread adds, the training loop reads. A listener that
 * throws is not called again for that record; its exception is rethrown, wrapped, by the next
 * {@link #advice()} or {@link #shouldStop()}, as is a failure of the reader.
 */
public final class RunAdvice {
  private final String runId;
  private final List<Advice> records = new ArrayList<>();
  private final Set<String> seen = new HashSet<>();
  private volatile Consumer<Advice> listener;
  private RuntimeException failure;

  public RunAdvice(String runId) {
    this.runId = runId;
  }

  public String runId() {
    return runId;
  }

  /** Sets the callback for every record from now on. */
  public void onAdvice(Consumer<Advice> listener) {
    this.listener = listener;
  }

  /** Adds one record; returns whether it was new and of this run. */
  public boolean accept(Advice advice) {
    if (!runId.equals(advice.getRunId())) {
      return false;
    }
    synchronized (this) {
      if (!seen.add(advice.getAdviceId())) {
        return false;
      }
      records.add(advice);
      notifyAll();
    }
    Consumer<Advice> callback = listener;
    if (callback != null) {
      try {
        callback.accept(advice);
      } catch (RuntimeException e) {
        fail(new IllegalStateException("run " + runId + ": the advice listener threw", e));
      }
    }
    return true;
  }

  /** Records a failure to be rethrown to the training loop. */
  public synchronized void fail(RuntimeException e) {
    if (failure == null) {
      failure = e;
    }
    notifyAll();
  }

  /** The advice so far, oldest first. */
  public synchronized List<Advice> advice() {
    throwIfFailed();
    return List.copyOf(records);
  }

  /** Whether any advice so far says stop (every kind but PLATEAU). */
  public synchronized boolean shouldStop() {
    throwIfFailed();
    return records.stream().anyMatch(Advice::getStop);
  }

  /** Waits up to {@code timeout} until some advice satisfies {@code wanted}. */
  public synchronized boolean await(Predicate<Advice> wanted, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (failure == null && records.stream().noneMatch(wanted)) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    throwIfFailed();
    return true;
  }

  private void throwIfFailed() {
    if (failure != null) {
      throw failure;
    }
  }
}

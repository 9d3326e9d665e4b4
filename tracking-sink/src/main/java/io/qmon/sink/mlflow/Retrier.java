package io.qmon.sink.mlflow;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import org.mlflow.tracking.MlflowHttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls MLflow until it succeeds, backing off exponentially between attempts, while the writer
 * runs. An MLflow answer that the request is invalid (4xx other than 429) is not retried: it is
 * thrown as {@link RejectedByMlflow}.
 */
final class Retrier {
  private static final Logger LOG = LoggerFactory.getLogger(Retrier.class);

  /** MLflow refused the request itself; retrying would not help. */
  static final class RejectedByMlflow extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RejectedByMlflow(String what, MlflowHttpException cause) {
      super(
          what + " refused by MLflow (" + cause.getStatusCode() + "): " + cause.getBodyMessage(),
          cause);
    }
  }

  /** The writer is stopping while a call was still failing. */
  static final class Stopped extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Stopped(String what) {
      super("Writer stopped while retrying " + what);
    }
  }

  private final long initialMillis;
  private final long maxMillis;
  private final BooleanSupplier running;
  private final WriterStats stats;

  Retrier(Duration initial, Duration max, BooleanSupplier running, WriterStats stats) {
    this.initialMillis = Math.max(1, initial.toMillis());
    this.maxMillis = Math.max(initialMillis, max.toMillis());
    this.running = running;
    this.stats = stats;
  }

  <T> T call(String what, Callable<T> call) {
    long backoff = initialMillis;
    while (true) {
      try {
        return call.call();
      } catch (MlflowHttpException e) {
        if (e.getStatusCode() >= 400 && e.getStatusCode() < 500 && e.getStatusCode() != 429) {
          throw new RejectedByMlflow(what, e);
        }
        LOG.warn("{} failed with HTTP {}; retrying in {} ms", what, e.getStatusCode(), backoff);
      } catch (RejectedByMlflow | Stopped e) {
        throw e;
      } catch (Exception e) {
        LOG.warn("{} failed ({}); retrying in {} ms", what, e.toString(), backoff);
      }
      stats.retries.incrementAndGet();
      if (!running.getAsBoolean()) {
        throw new Stopped(what);
      }
      sleep(backoff, what);
      backoff = Math.min(maxMillis, backoff * 2);
    }
  }

  void run(String what, Runnable call) {
    call(
        what,
        () -> {
          call.run();
          return null;
        });
  }

  private static void sleep(long millis, String what) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Stopped(what);
    }
  }
}

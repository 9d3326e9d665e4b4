package io.qmon.sink;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the running sinks of one process and decides how it ends: on a stop request (shutdown hook)
 * with exit status 0, or when any sink reports a dead thread with {@value #EXIT_SINK_DIED}. Either
 * way every sink is closed, newest first.
 */
public final class SinkSupervisor implements FatalErrorHandler {
  private static final Logger LOG = LoggerFactory.getLogger(SinkSupervisor.class);

  /** Exit status after a sink died. */
  public static final int EXIT_SINK_DIED = 70;

  private final Deque<AutoCloseable> running = new ArrayDeque<>();
  private final CountDownLatch done = new CountDownLatch(1);
  private volatile int exitCode;

  /** A started sink, closed when the process ends. */
  public synchronized void add(AutoCloseable sink) {
    running.push(sink);
  }

  @Override
  public void fatal(String sink, Throwable cause) {
    LOG.error("The {} sink died; stopping the process so that it is restarted", sink, cause);
    exitCode = EXIT_SINK_DIED;
    done.countDown();
  }

  /** Ends the process normally (shutdown hook): closes the sinks and waits for them. */
  public void requestStop() {
    done.countDown();
    closeAll();
  }

  /** Waits until a stop request or a dead sink, closes every sink and returns the exit status. */
  public int awaitExit() throws InterruptedException {
    done.await();
    closeAll();
    return exitCode;
  }

  private synchronized void closeAll() {
    while (!running.isEmpty()) {
      AutoCloseable sink = running.pop();
      try {
        sink.close();
      } catch (Exception e) {
        LOG.error("Closing {} failed", sink, e);
      }
    }
  }
}

package io.qmon.launcher.embedded;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a readiness check until it holds or a deadline passes. */
final class Await {
  private Await() {}

  static void until(String what, Duration timeout, Runnable checkAlive, BooleanSupplier ready) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      checkAlive.run();
      if (ready.getAsBoolean()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(what + " was not ready within " + timeout);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for " + what, e);
      }
    }
  }
}

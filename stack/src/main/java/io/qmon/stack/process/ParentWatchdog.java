package io.qmon.stack.process;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Runs another program's {@code main} in a child JVM and exits when the parent goes away.
 *
 * <p>The parent keeps the child's standard input open; when the parent dies for any reason, even
 * SIGKILL, the pipe closes, this watchdog reads end-of-stream, and the child exits through its
 * shutdown hooks. So the embedded broker and registry never outlive the launcher.
 *
 * <p>Usage: {@code java -cp ... ParentWatchdog <main-class> [args...]}.
 */
public final class ParentWatchdog {
  private ParentWatchdog() {}

  public static void main(String[] args) throws Throwable {
    if (args.length < 1) {
      throw new IllegalArgumentException("usage: ParentWatchdog <main-class> [args...]");
    }
    Thread watcher = new Thread(ParentWatchdog::exitWhenStdinCloses, "parent-watchdog");
    watcher.setDaemon(true);
    watcher.start();
    Method main = Class.forName(args[0]).getMethod("main", String[].class);
    main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
  }

  private static void exitWhenStdinCloses() {
    InputStream in = System.in;
    byte[] buffer = new byte[64];
    try {
      while (in.read(buffer) >= 0) {
        // The parent never writes; anything read is ignored.
      }
    } catch (IOException e) {
      System.err.println("parent-watchdog: standard input failed (" + e + "); exiting");
    }
    System.exit(0);
  }
}

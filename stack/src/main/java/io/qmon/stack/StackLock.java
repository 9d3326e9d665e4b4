package io.qmon.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;

/**
 * The lock on a persistent {@code qmon.home} ({@code stack.lock}): one embedded stack per home, as
 * two would share a broker log folder, a registry database, an MLflow server and pid files. A
 * command takes it before it starts anything (MLflow included: starting MLflow stops the server a
 * pid file names, which is the other stack's), and hands it to {@link EmbeddedStack#start(
 * StackSettings, StackPorts, StackLock)}, which releases it when the stack stops. A stack that
 * keeps nothing ({@code qmon.persist=false}) locks nothing.
 */
public final class StackLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private StackLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Locks the settings' home, if persistent.
   *
   * @throws IllegalStateException when another stack, in this JVM or another process, holds it
   */
  public static StackLock acquire(StackSettings settings) throws IOException {
    if (!settings.persistent()) {
      return new StackLock(null, null);
    }
    Files.createDirectories(settings.home());
    FileChannel channel =
        FileChannel.open(
            settings.home().resolve("stack.lock"),
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException heldInThisJvm) {
      lock = null;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    if (lock == null) {
      channel.close();
      throw new IllegalStateException(
          "Another qmon stack is running on "
              + settings.home()
              + " (it holds stack.lock); stop it, or give this one its own -Dqmon.home");
    }
    return new StackLock(channel, lock);
  }

  /** True when this holds a home's lock (a persistent stack). */
  public boolean held() {
    return lock != null && lock.isValid();
  }

  /** Releases the lock; a second call does nothing. */
  @Override
  public void close() {
    if (channel == null || !channel.isOpen()) {
      return;
    }
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot release stack.lock", e);
    }
  }
}

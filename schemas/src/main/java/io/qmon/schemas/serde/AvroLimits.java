package io.qmon.schemas.serde;

import java.lang.reflect.Method;
import org.apache.avro.SystemLimitException;

/**
 * Avro's own allocation bounds ({@code org.apache.avro.limits.*}), set for every qmon reader.
 *
 * <p>Avro allocates whatever length a record declares: without limits, a 12-byte record declaring a
 * 2^31-character string or a 2^31-item array asks for gigabytes before the read fails for want of
 * bytes. Avro reads its three limit properties once, when {@link SystemLimitException} is first
 * loaded, and refuses longer values with that exception, which the serde turns into an {@code
 * UNREADABLE} dead letter. {@link #install()} sets each property that is not already set (a value
 * given with {@code -D} wins) and, when Avro has already read them (another reader in the same JVM
 * came first), makes it read them again, so the limits hold wherever the job's decoder is created.
 */
public final class AvroLimits {
  /** Largest string in bytes: 1 MiB, far above every bounded text field of the input schemas. */
  public static final int MAX_STRING_BYTES = 1 << 20;

  /**
   * Largest bytes value: 1 MiB (the input schemas have none; the dead letter's value is capped).
   */
  public static final int MAX_BYTES_LENGTH = 1 << 20;

  /**
   * Most items of one array or map: a dense 20-qubit target or state (2^20 amplitudes); the
   * validators bound each field further.
   */
  public static final int MAX_COLLECTION_ITEMS = 1 << 20;

  private static final Object LOCK = new Object();
  private static volatile boolean installed;

  private AvroLimits() {}

  /** Sets the limits (once per JVM, idempotent) and makes sure Avro applies them. */
  public static void install() {
    if (installed) {
      return;
    }
    synchronized (LOCK) {
      if (installed) {
        return;
      }
      setIfAbsent(SystemLimitException.MAX_STRING_LENGTH_PROPERTY, MAX_STRING_BYTES);
      setIfAbsent(SystemLimitException.MAX_BYTES_LENGTH_PROPERTY, MAX_BYTES_LENGTH);
      setIfAbsent(SystemLimitException.MAX_COLLECTION_LENGTH_PROPERTY, MAX_COLLECTION_ITEMS);
      if (!inEffect()) {
        rereadLimits();
      }
      if (!inEffect()) {
        throw new IllegalStateException(
            "Avro does not apply the limits "
                + describe()
                + "; set them as -D system properties when the JVM starts");
      }
      installed = true;
    }
  }

  /** The configured limits, as Avro's property names with their values. */
  public static String describe() {
    return SystemLimitException.MAX_STRING_LENGTH_PROPERTY
        + "="
        + limit(SystemLimitException.MAX_STRING_LENGTH_PROPERTY)
        + ", "
        + SystemLimitException.MAX_BYTES_LENGTH_PROPERTY
        + "="
        + limit(SystemLimitException.MAX_BYTES_LENGTH_PROPERTY)
        + ", "
        + SystemLimitException.MAX_COLLECTION_LENGTH_PROPERTY
        + "="
        + limit(SystemLimitException.MAX_COLLECTION_LENGTH_PROPERTY);
  }

  private static void setIfAbsent(String property, int value) {
    if (System.getProperty(property) == null) {
      System.setProperty(property, Integer.toString(value));
    }
  }

  private static int limit(String property) {
    return Integer.parseInt(System.getProperty(property).trim());
  }

  /** Probes Avro's checks: each accepts its limit and refuses one more. */
  private static boolean inEffect() {
    return applies(SystemLimitException.MAX_STRING_LENGTH_PROPERTY, 's')
        && applies(SystemLimitException.MAX_BYTES_LENGTH_PROPERTY, 'b')
        && applies(SystemLimitException.MAX_COLLECTION_LENGTH_PROPERTY, 'c');
  }

  private static boolean applies(String property, char kind) {
    long limit = limit(property);
    try {
      check(kind, limit);
    } catch (SystemLimitException e) {
      return false;
    }
    try {
      check(kind, limit + 1);
      return false;
    } catch (SystemLimitException e) {
      return true;
    }
  }

  private static void check(char kind, long length) {
    switch (kind) {
      case 's' -> SystemLimitException.checkMaxStringLength(length);
      case 'b' -> SystemLimitException.checkMaxBytesLength(length);
      default -> SystemLimitException.checkMaxCollectionLength(0L, length);
    }
  }

  /**
   * Avro keeps the limits in static fields read when the class loads; its package-private {@code
   * resetLimits()} reads the properties again. Reaching it by reflection is the only way to apply
   * limits set after the class was loaded.
   */
  private static void rereadLimits() {
    try {
      Method reset = SystemLimitException.class.getDeclaredMethod("resetLimits");
      reset.setAccessible(true);
      reset.invoke(null);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException(
          "Avro's limits were read before qmon set them and cannot be read again ("
              + e
              + "); set "
              + describe()
              + " as -D system properties when the JVM starts",
          e);
    }
  }
}

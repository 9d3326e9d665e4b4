package io.qmon.sink;

import java.util.Locale;

/**
 * Which settings are secrets, so configuration can be logged and echoed in errors without them:
 * {@code sasl.jaas.config}, {@code basic.auth.user.info} and any key containing {@code password},
 * {@code token} or {@code secret}. A small local helper until the shared redaction utility in
 * {@code schemas} lands (then this delegates to it).
 */
public final class Secrets {
  /** What a secret value is shown as. */
  public static final String REDACTED = "<redacted>";

  private Secrets() {}

  /** Whether the value of this key must not be shown. */
  public static boolean isSecret(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return k.endsWith("sasl.jaas.config")
        || k.endsWith("basic.auth.user.info")
        || k.contains("password")
        || k.contains("token")
        || k.contains("secret");
  }

  /** The value, or {@value #REDACTED} when the key names a secret. */
  public static String redact(String key, String value) {
    return isSecret(key) ? REDACTED : value;
  }
}

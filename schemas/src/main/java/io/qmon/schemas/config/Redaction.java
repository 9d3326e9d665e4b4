package io.qmon.schemas.config;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hides secrets in configuration before it is logged, printed or put in an exception message.
 *
 * <p>A value is secret when its key names one ({@code sasl.jaas.config}, {@code
 * basic.auth.user.info}, {@code ssl.key*}, or a key containing {@code password}, {@code secret},
 * {@code token}, {@code user-info}/{@code userinfo} or {@code credentials}); a URL's user-info
 * ({@code http://user:pw@host}) is secret wherever it appears. Shared by the job, the sinks and the
 * launcher so every one of them hides the same things.
 */
public final class Redaction {
  /** What a hidden value is replaced with. */
  public static final String REDACTED = "[redacted]";

  private static final String[] SECRET_FRAGMENTS = {
    "password", "secret", "token", "user-info", "userinfo", "user.info", "credentials", "jaas"
  };

  /** scheme://user-info@ — the user-info is everything up to the last '@' before the host. */
  private static final Pattern URL_USER_INFO =
      Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://)([^/@\\s\"',;]+)@");

  private Redaction() {}

  /** True when values of {@code key} are secrets (case-insensitive; '_' and '-' count as '.'). */
  public static boolean isSecretKey(String key) {
    if (key == null) {
      return false;
    }
    String k = key.toLowerCase(Locale.ROOT);
    if (k.equals("sasl.jaas.config") || k.startsWith("ssl.key") || k.contains(".ssl.key")) {
      return true;
    }
    String dotted = k.replace('_', '.').replace('-', '.');
    for (String fragment : SECRET_FRAGMENTS) {
      if (k.contains(fragment) || dotted.contains(fragment.replace('-', '.'))) {
        return true;
      }
    }
    return false;
  }

  /** {@code value}, or {@link #REDACTED} when the key names a secret; URL user-info is hidden. */
  public static String value(String key, String value) {
    if (value == null) {
      return null;
    }
    if (isSecretKey(key) && !value.isEmpty()) {
      return REDACTED;
    }
    return urls(value);
  }

  /** {@code text} with the user-info of every URL in it replaced ({@code http://[redacted]@h}). */
  public static String urls(String text) {
    if (text == null || text.indexOf('@') < 0) {
      return text;
    }
    Matcher m = URL_USER_INFO.matcher(text);
    return m.replaceAll(match -> Matcher.quoteReplacement(match.group(1) + REDACTED + "@"));
  }

  /** A copy of {@code config} (same order) with every secret value redacted. */
  public static Map<String, String> map(Map<String, String> config) {
    Map<String, String> safe = new LinkedHashMap<>();
    config.forEach((key, value) -> safe.put(key, value(key, value)));
    return safe;
  }

  /**
   * {@code text} of the form {@code k1=v1,k2=v2} (or one {@code key=value}) with the values of
   * secret keys redacted: for echoing a pass-through setting in an error message.
   */
  public static String keyValueText(String text) {
    if (text == null) {
      return null;
    }
    String lower = text.toLowerCase(Locale.ROOT);
    for (String fragment : SECRET_FRAGMENTS) {
      if (lower.contains(fragment)) {
        // A secret may contain the separators themselves: hide everything after its key.
        return hideAfterFirstSecretKey(text);
      }
    }
    if (lower.contains("ssl.key")) {
      return hideAfterFirstSecretKey(text);
    }
    return urls(text);
  }

  private static String hideAfterFirstSecretKey(String text) {
    int cut = text.length();
    int start = 0;
    while (start < text.length()) {
      int eq = text.indexOf('=', start);
      if (eq < 0) {
        break;
      }
      int keyStart = Math.max(text.lastIndexOf(',', eq), text.lastIndexOf('\n', eq)) + 1;
      if (isSecretKey(text.substring(keyStart, eq).trim())) {
        cut = eq + 1;
        break;
      }
      start = eq + 1;
    }
    if (cut >= text.length()) {
      return REDACTED;
    }
    return urls(text.substring(0, cut)) + REDACTED;
  }
}

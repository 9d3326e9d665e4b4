package io.qmon.sink;

import io.qmon.schemas.config.Redaction;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One typed setting of the sink deployable: its key, default and description, and how to parse it.
 *
 * @param <T> the value type
 */
public final class ConfigOption<T> {
  private final String key;
  private final T defaultValue;
  private final String description;
  private final Function<String, T> parser;

  private ConfigOption(String key, T defaultValue, String description, Function<String, T> parser) {
    this.key = key;
    this.defaultValue = defaultValue;
    this.description = description;
    this.parser = parser;
  }

  static ConfigOption<String> string(String key, String defaultValue, String description) {
    return new ConfigOption<>(key, defaultValue, description, String::trim);
  }

  static ConfigOption<Integer> integer(String key, int defaultValue, String description) {
    return new ConfigOption<>(key, defaultValue, description, s -> Integer.parseInt(s.trim()));
  }

  static ConfigOption<Duration> duration(String key, Duration defaultValue, String description) {
    return new ConfigOption<>(key, defaultValue, description, s -> Duration.parse(s.trim()));
  }

  static ConfigOption<String> choice(
      String key, String defaultValue, List<String> allowed, String description) {
    return new ConfigOption<>(
        key,
        defaultValue,
        description,
        s -> {
          String value = s.trim();
          if (!allowed.contains(value)) {
            throw new IllegalArgumentException("expected one of " + allowed);
          }
          return value;
        });
  }

  static ConfigOption<List<String>> list(
      String key, List<String> defaultValue, String description) {
    return new ConfigOption<>(
        key,
        defaultValue,
        description,
        s -> Arrays.stream(s.split(",")).map(String::trim).filter(v -> !v.isEmpty()).toList());
  }

  public String key() {
    return key;
  }

  /** The default, or null when the option is required. */
  public T defaultValue() {
    return defaultValue;
  }

  public String description() {
    return description;
  }

  /** Reads this option from the settings, failing with a message naming the key. */
  T read(Map<String, String> settings) {
    String raw = settings.get(key);
    if (raw == null || raw.isBlank()) {
      if (defaultValue == null) {
        throw new IllegalArgumentException(
            "Missing required setting '" + key + "': " + description);
      }
      return defaultValue;
    }
    try {
      return parser.apply(raw);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "Setting '"
              + key
              + "' has an unreadable value '"
              + Redaction.value(key, raw)
              + "': "
              + e.getMessage(),
          e);
    }
  }
}

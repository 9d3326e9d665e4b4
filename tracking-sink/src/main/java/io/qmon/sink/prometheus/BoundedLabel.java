package io.qmon.sink.prometheus;

import java.util.HashSet;
import java.util.Set;

/**
 * Keeps a label's cardinality bounded: the first {@code max} distinct values pass, later new values
 * become {@value #OTHER}. Used for labels whose values come from events (error_type, detector).
 */
final class BoundedLabel {
  static final String OTHER = "other";

  private final int max;
  private final Set<String> seen = new HashSet<>();

  BoundedLabel(int max) {
    this.max = max;
  }

  synchronized String value(String raw) {
    String value = raw == null || raw.isBlank() ? "unknown" : raw;
    if (seen.contains(value)) {
      return value;
    }
    if (seen.size() >= max) {
      return OTHER;
    }
    seen.add(value);
    return value;
  }
}

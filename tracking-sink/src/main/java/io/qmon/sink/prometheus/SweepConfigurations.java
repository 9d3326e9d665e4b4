package io.qmon.sink.prometheus;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The sweep configurations that have series, least recently updated first, capped: qgm.sweeps is
 * compacted and never forgets a configuration, so without a cap a long-lived exporter would grow
 * without bound. Not thread-safe: the exporter's consumer thread owns it.
 */
final class SweepConfigurations {
  record Key(String experiment, String configId) {}

  private final int max;
  private final LinkedHashMap<Key, Boolean> keys = new LinkedHashMap<>(16, 0.75f, true);

  SweepConfigurations(int max) {
    this.max = max;
  }

  /** Marks the configuration updated; returns the configuration evicted to make room, or null. */
  Key touch(String experiment, String configId) {
    Key key = new Key(experiment, configId);
    keys.put(key, Boolean.TRUE);
    if (keys.size() <= max) {
      return null;
    }
    Map.Entry<Key, Boolean> eldest = keys.entrySet().iterator().next();
    keys.remove(eldest.getKey());
    return eldest.getKey();
  }
}

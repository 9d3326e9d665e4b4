package io.qmon.sink.alerts;

import io.qmon.schemas.AlertState;

/**
 * What the notifier remembers per (run, detector, metric): the last alert id and state it saw,
 * when, and whether that episode was suppressed. Stored as a short string in the state store.
 */
record AlertMemory(String alertId, AlertState state, long eventTime, boolean suppressed) {
  String encode() {
    return state.name() + '|' + eventTime + '|' + suppressed + '|' + alertId;
  }

  static AlertMemory decode(String encoded) {
    if (encoded == null) {
      return null;
    }
    String[] parts = encoded.split("\\|", 4);
    return new AlertMemory(
        parts[3],
        AlertState.valueOf(parts[0]),
        Long.parseLong(parts[1]),
        Boolean.parseBoolean(parts[2]));
  }
}

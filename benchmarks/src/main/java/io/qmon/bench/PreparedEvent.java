package io.qmon.bench;

/**
 * One shot event serialized ahead of time: its key, its Confluent-framed value, and where in the
 * value its event time sits so it can be stamped at the moment it is sent.
 */
record PreparedEvent(String runId, int epoch, byte[] key, byte[] value, int eventTimeOffset) {

  /** Writes the send time into the value; see {@link EventTimeStamp}. */
  byte[] stampedValue(long epochMillis) {
    EventTimeStamp.write(value, eventTimeOffset, epochMillis);
    return value;
  }
}

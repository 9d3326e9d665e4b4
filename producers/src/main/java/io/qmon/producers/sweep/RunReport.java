package io.qmon.producers.sweep;

/**
 * How one sweep run ended.
 *
 * @param epochs epochs published
 * @param error why the run failed, or null when it succeeded
 */
public record RunReport(String runId, String configId, int repeatIndex, int epochs, String error) {
  public boolean succeeded() {
    return error == null;
  }
}

package io.qmon.sink;

/**
 * Told when a sink's consumer or writer thread died and the sink no longer works. {@link
 * TrackingSinkMain} ends the process with a non-zero exit so a supervisor (systemd, Kubernetes)
 * restarts it; embedded users (demo, tests) only log.
 */
@FunctionalInterface
public interface FatalErrorHandler {
  void fatal(String sink, Throwable cause);

  /** Logs at ERROR and does nothing else. */
  static FatalErrorHandler logOnly() {
    return (sink, cause) ->
        org.slf4j.LoggerFactory.getLogger(FatalErrorHandler.class)
            .error("The {} sink stopped working", sink, cause);
  }
}

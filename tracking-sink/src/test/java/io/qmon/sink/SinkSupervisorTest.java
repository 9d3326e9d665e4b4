package io.qmon.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class SinkSupervisorTest {
  @Test
  void shouldEndWithANonZeroStatusAndCloseEverySinkWhenASinkThreadDies() throws Exception {
    SinkSupervisor supervisor = new SinkSupervisor();
    AtomicBoolean healthyClosed = new AtomicBoolean();
    supervisor.add(() -> healthyClosed.set(true));
    Thread consumer =
        new Thread(
            () -> {
              try {
                throw new IllegalStateException("consumer fenced");
              } catch (IllegalStateException e) {
                supervisor.fatal("mlflow", e);
              }
            });
    consumer.start();
    assertEquals(SinkSupervisor.EXIT_SINK_DIED, supervisor.awaitExit());
    assertTrue(healthyClosed.get(), "the other sinks are closed before the exit");
  }

  @Test
  void shouldEndWithStatusZeroOnAStopRequest() throws Exception {
    SinkSupervisor supervisor = new SinkSupervisor();
    AtomicBoolean closed = new AtomicBoolean();
    supervisor.add(() -> closed.set(true));
    supervisor.requestStop();
    assertEquals(0, supervisor.awaitExit());
    assertTrue(closed.get());
  }
}

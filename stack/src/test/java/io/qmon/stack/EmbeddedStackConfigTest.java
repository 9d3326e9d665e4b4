package io.qmon.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.junit.jupiter.api.Test;

class EmbeddedStackConfigTest {
  @Test
  void shouldBindEveryFlinkEndpointToTheConfiguredAddress() {
    Configuration flink = EmbeddedStack.miniClusterConfiguration("127.0.0.1");
    assertEquals("127.0.0.1", flink.get(RestOptions.BIND_ADDRESS));
    assertEquals("127.0.0.1", flink.get(RestOptions.ADDRESS));
    assertEquals("127.0.0.1", flink.get(JobManagerOptions.BIND_HOST));
    assertEquals("127.0.0.1", flink.get(JobManagerOptions.ADDRESS));
    assertEquals("127.0.0.1", flink.get(TaskManagerOptions.BIND_HOST));
    assertEquals("127.0.0.1", flink.get(TaskManagerOptions.HOST));
  }
}

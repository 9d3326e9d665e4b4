package io.qmon.tests.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qmon.schemas.Topics;
import io.qmon.sink.SinkSupervisor;
import io.qmon.stack.EmbeddedStack;
import io.qmon.stack.StackSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sink deployable as a process: when its consumer dies (here: fenced by a second consumer with
 * the same static group instance id, a real misconfiguration), TrackingSinkMain exits non-zero so a
 * supervisor restarts it, and its log never shows the secrets it was configured with.
 */
class TrackingSinkProcessIT {
  private static final String SECRET = "hunter2-do-not-log";

  private static EmbeddedStack stack;

  @BeforeAll
  static void start() throws Exception {
    stack = EmbeddedStack.start(StackSettings.fromSystemProperties());
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void shouldExitNonZeroWhenItsConsumerDiesAndNeverLogASecret() throws Exception {
    Path log = Files.createTempFile("qmon-sink-process", ".log");
    String group = "it-exit";
    String instance = "it-exit-instance";
    Process sink =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // The deployable's own logging: INFO of io.qmon on the console.
                "-Dlog4j2.configurationFile=log4j2-sink.xml",
                "-cp",
                System.getProperty("java.class.path"),
                "io.qmon.sink.TrackingSinkMain",
                "kafka.bootstrap-servers=" + stack.bootstrapServers(),
                "schema-registry.url=" + stack.schemaRegistryUrl(),
                "kafka.group-id-prefix=" + group,
                "sinks=mlflow",
                "mlflow.tracking-uri=http://127.0.0.1:9",
                "mlflow.tracking-token=" + SECRET,
                "kafka.properties.group.instance.id=" + instance,
                "kafka.properties.ssl.key.password=" + SECRET)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      awaitMember(group + "-mlflow", sink, log);
      Properties props = new Properties();
      props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
      props.put(ConsumerConfig.GROUP_ID_CONFIG, group + "-mlflow");
      props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instance);
      try (KafkaConsumer<byte[], byte[]> usurper =
          new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        usurper.subscribe(List.of(Topics.METRICS));
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (sink.isAlive() && System.nanoTime() < deadline) {
          usurper.poll(Duration.ofMillis(200));
        }
      }
      assertTrue(sink.waitFor(30, TimeUnit.SECONDS), "the sink process ended: " + tail(log));
      assertEquals(SinkSupervisor.EXIT_SINK_DIED, sink.exitValue(), tail(log));
      String output = Files.readString(log);
      assertTrue(output.contains("sink died"), tail(log));
      assertFalse(output.contains(SECRET), "a secret reached the log");
      assertTrue(output.contains("[redacted]"), "the config is logged, redacted: " + tail(log));
    } finally {
      sink.destroyForcibly();
    }
  }

  private static void awaitMember(String group, Process sink, Path log) throws Exception {
    Properties props = new Properties();
    props.put("bootstrap.servers", stack.bootstrapServers());
    try (Admin admin = Admin.create(props)) {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (true) {
        try {
          ConsumerGroupDescription description =
              admin.describeConsumerGroups(List.of(group)).all().get().get(group);
          if (description != null && !description.members().isEmpty()) {
            return;
          }
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof GroupIdNotFoundException)) {
            throw e;
          }
          // Not created yet: the sink's consumer has not joined.
        }
        if (!sink.isAlive() || System.nanoTime() > deadline) {
          throw new AssertionError("the sink's consumer did not join: " + tail(log));
        }
        Thread.sleep(300);
      }
    }
  }

  private static String tail(Path log) {
    try {
      String text = Files.readString(log);
      return text.substring(Math.max(0, text.length() - 4000));
    } catch (java.io.IOException e) {
      return "(no log: " + e + ")";
    }
  }
}

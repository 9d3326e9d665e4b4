package io.qmon.tests.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qmon.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code qmon stack} started with secrets in its configuration (a SASL JAAS line in the Kafka
 * pass-through options and in a Kafka properties file, registry basic-auth credentials: settings a
 * PLAINTEXT broker and an open registry ignore, so the job runs) and no restarts left. The job
 * first proves it runs (a malformed record reaches the dead-letter topic); then the registry dies
 * and the next record it must decode fails the job for good. The launcher must say so, with the
 * cause and where the logs are, and exit non-zero; and no secret may appear in its output, its log
 * or the servers' logs, on the way up or in the failure.
 */
class SecretsAndJobFailureIT {
  private static final String JAAS_SECRET = "Jaas-S3cret,with=comma";
  private static final String FILE_SECRET = "File-S3cret";
  private static final String REGISTRY_SECRET = "Registry-S3cret";
  private static final List<String> SECRETS = List.of(JAAS_SECRET, FILE_SECRET, REGISTRY_SECRET);

  private static LauncherProcess stack;
  private static int exitStatus;
  private static String output;

  @BeforeAll
  static void runTheStackUntilItsJobFails() throws Exception {
    Path home = Path.of(System.getProperty("qmon.home")).resolve("secrets-and-job-failure");
    Files.createDirectories(home);
    Path clientProperties = home.resolve("client.properties");
    Files.write(
        clientProperties,
        List.of(
            "security.protocol=PLAINTEXT",
            "sasl.mechanism=PLAIN",
            "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required"
                + " username=\"qmon\" password=\""
                + FILE_SECRET
                + "\";"));
    String jaas =
        "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required"
            + " username=\"qmon\" password=\""
            + JAAS_SECRET
            + "\";";
    stack =
        LauncherProcess.start(
            "secrets-and-job-failure",
            List.of(
                "-Dqmon.job.restart-attempts=0",
                "-Dqmon.kafka.properties-file=" + clientProperties,
                "-Dqmon.kafka.consumer-properties=fetch.max.wait.ms=20," + jaas,
                "-Dqmon.kafka.producer-properties=linger.ms=5," + jaas,
                "-Dqmon.schema-registry.basic-auth-user-info=qmon:" + REGISTRY_SECRET),
            "stack");
    stack.awaitOutput("is up", 300);
    String bootstrap = matching(stack.output(), "kafka bootstrap servers : (\\S+)");

    try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
      producer
          .send(
              new ProducerRecord<>(
                  Topics.SHOTS,
                  "r".getBytes(StandardCharsets.UTF_8),
                  "not avro".getBytes(StandardCharsets.UTF_8)))
          .get(30, TimeUnit.SECONDS);
      awaitADeadLetter(bootstrap);

      RegistryLoss.killRegistry(stack.process);
    }
    RegistryLoss.publishUnseenSchemaId(bootstrap, Topics.SHOTS);
    assertTrue(
        stack.process.waitFor(180, TimeUnit.SECONDS),
        "qmon stack exits after its job failed:\n" + stack.output());
    exitStatus = stack.process.exitValue();
    output = stack.output();
    System.out.println("qmon stack output:\n" + output);
  }

  @AfterAll
  static void stop() throws Exception {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void shouldExitNonZeroNamingTheCauseAndTheLogsWhenTheJobFails() {
    assertEquals(1, exitStatus, output);
    assertTrue(output.contains("the monitoring job FAILED"), output);
    assertTrue(output.contains("SchemaRegistryException"), "the cause is named:\n" + output);
    assertTrue(output.contains("logs: " + stack.logFile), "the launcher log is named:\n" + output);
  }

  @Test
  void shouldShowNoSecretInTheOutputOrAnyLog() throws Exception {
    List<Path> files = new ArrayList<>(List.of(stack.output, stack.logFile));
    try (Stream<Path> logs = Files.list(stack.home.resolve("logs"))) {
      logs.forEach(files::add);
    }
    String launcherLog = Files.readString(stack.logFile);
    assertTrue(
        launcherLog.contains("sasl.jaas.config=[redacted]"),
        "the job's configuration is logged, redacted:\n" + launcherLog);
    assertTrue(launcherLog.contains("ended"), "the job's failure is logged");
    for (Path file : files) {
      String text = Files.readString(file);
      for (String secret : SECRETS) {
        assertFalse(text.contains(secret), secret + " appears in " + file);
      }
    }
    System.out.println("No secret in " + files);
  }

  private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static void awaitADeadLetter(String bootstrap) throws Exception {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-secrets-dlq");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(Topics.DLQ));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
      while (System.nanoTime() < deadline) {
        if (!consumer.poll(Duration.ofMillis(500)).isEmpty()) {
          return;
        }
        assertTrue(
            stack.process.isAlive(), "the job runs with the secret settings:\n" + stack.output());
      }
    }
    throw new AssertionError("the job wrote no dead letter:\n" + stack.output());
  }

  private static String matching(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertTrue(m.find(), regex + " in:\n" + text);
    return m.group(1);
  }
}

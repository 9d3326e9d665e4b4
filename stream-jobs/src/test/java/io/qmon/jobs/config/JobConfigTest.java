package io.qmon.jobs.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qmon.metrics.advice.AdviceSettings;
import io.qmon.metrics.advice.AdviceSettingsByModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobConfigTest {
  @Test
  void shouldLetArgumentsOverrideDefaults() {
    JobConfig config =
        JobConfig.fromArgs(
            new String[] {"--job.parallelism", "8", "--kafka.bootstrap-servers", "b:9092"});
    assertEquals(8, config.parallelism());
    assertEquals("b:9092", config.bootstrapServers());
    assertEquals(60_000, config.pendingTimeoutMs());
  }

  @Test
  void shouldRefuseUnknownOrInvalidOptionsNamingThem() {
    IllegalArgumentException unknown =
        assertThrows(
            IllegalArgumentException.class, () -> JobConfig.fromArgs(new String[] {"--nope", "1"}));
    assertTrue(unknown.getMessage().contains("--nope"), unknown.getMessage());
    IllegalArgumentException invalid =
        assertThrows(
            IllegalArgumentException.class,
            () -> JobConfig.of(Map.of("job.parallelism", "zero")).parallelism());
    assertTrue(invalid.getMessage().contains("job.parallelism"), invalid.getMessage());
    IllegalArgumentException guarantee =
        assertThrows(
            IllegalArgumentException.class,
            () -> JobConfig.of(Map.of("job.delivery-guarantee", "maybe")).exactlyOnce());
    assertTrue(guarantee.getMessage().contains("maybe"), guarantee.getMessage());
  }

  @Test
  void shouldBuildTheAdviceRulesPerModelTypeFromTheirOptions() {
    AdviceSettingsByModel defaults = JobConfig.of(Map.of()).adviceSettings();
    assertEquals(AdviceSettings.DEFAULTS, defaults.standard());
    assertEquals(AdviceSettings.QGAN_DEFAULTS, defaults.qgan());

    AdviceSettingsByModel set =
        JobConfig.of(
                Map.of(
                    "job.advice-smoothing-epochs", "5",
                    "job.advice-plateau-epochs", "15",
                    "job.advice-collapse-fraction", "0.6",
                    "job.advice-qgan-plateau-epochs", "60",
                    "job.advice-qgan-collapse-fraction", "0.3"))
            .adviceSettings();
    assertEquals(5, set.standard().smoothingEpochs());
    assertEquals(5, set.qgan().smoothingEpochs(), "k is shared");
    assertEquals(15, set.standard().plateauEpochs());
    assertEquals(60, set.qgan().plateauEpochs());
    assertEquals(0.6, set.standard().collapseFraction());
    assertEquals(0.3, set.qgan().collapseFraction());
    assertEquals(set.qgan(), set.forModel("qgan"));
    assertEquals(set.qgan(), set.forModel("QGAN"));
    assertEquals(set.standard(), set.forModel("born_machine"));
    assertEquals(set.standard(), set.forModel(null));

    IllegalArgumentException whole =
        assertThrows(
            IllegalArgumentException.class,
            () -> JobConfig.of(Map.of("job.advice-qgan-collapse-fraction", "1")).adviceSettings());
    assertTrue(
        whole.getMessage().contains("job.advice-qgan-collapse-fraction"), whole.getMessage());
  }

  @Test
  void shouldDocumentEveryOptionInTheReadme() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    for (JobConfig.Option option : JobConfig.OPTIONS) {
      assertTrue(
          readme.contains("`" + option.key() + "` | `" + option.defaultValue() + "`"),
          "README.md documents " + option.key() + " with its default " + option.defaultValue());
    }
  }

  /** A real SASL/PLAIN JAAS line whose password holds a comma, an '=' and a semicolon. */
  private static final String JAAS =
      "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"qmon\""
          + " password=\"a,b=c;d\";";

  @Test
  void shouldKeepAJaasValueWithCommasInsideQuotesWhole() {
    Map<String, String> props =
        JobConfig.of(
                Map.of(
                    "kafka.consumer-properties",
                    "security.protocol=SASL_SSL,sasl.mechanism=PLAIN,sasl.jaas.config="
                        + JAAS
                        + ",max.poll.records=10"))
            .consumerProperties();
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("security.protocol", "SASL_SSL");
    expected.put("sasl.mechanism", "PLAIN");
    expected.put("sasl.jaas.config", JAAS);
    expected.put("max.poll.records", "10");
    assertEquals(expected, props);
  }

  @Test
  void shouldUnescapeABackslashedCommaOutsideQuotes() {
    assertEquals(
        Map.of("ssl.cipher.suites", "A,B", "acks", "all", "path", "c:\\x"),
        JobConfig.keyValues("ssl.cipher.suites=A\\,B,acks=all,path=c:\\\\x"));
    IllegalArgumentException open =
        assertThrows(IllegalArgumentException.class, () -> JobConfig.keyValues("a=\"b,c"));
    assertTrue(open.getMessage().contains("quote"), open.getMessage());
  }

  @Test
  void shouldApplyThePropertiesFileToSourcesAndSinksWithTheOptionsOnTop(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("client.properties");
    Files.write(
        file,
        List.of(
            "security.protocol=SASL_SSL",
            "sasl.mechanism=PLAIN",
            "sasl.jaas.config=" + JAAS,
            "linger.ms=99"));
    JobConfig config =
        JobConfig.of(
            Map.of(
                "kafka.properties-file",
                file.toString(),
                "kafka.producer-properties",
                "linger.ms=5"));
    assertEquals(JAAS, config.consumerProperties().get("sasl.jaas.config"));
    assertEquals(JAAS, config.producerProperties().get("sasl.jaas.config"));
    assertEquals("SASL_SSL", config.producerProperties().get("security.protocol"));
    assertEquals("5", config.producerProperties().get("linger.ms"));
    assertEquals("262144", config.consumerProperties().get("fetch.min.bytes"));
  }

  @Test
  void shouldNeverShowASecretInItsTextOrItsErrors() {
    JobConfig config =
        JobConfig.of(
            Map.of(
                "kafka.consumer-properties",
                "sasl.jaas.config=" + JAAS,
                "schema-registry.basic-auth-user-info",
                "qmon:hunter2",
                "schema-registry.ssl.truststore-password",
                "trustpw",
                "schema-registry.url",
                "https://ann:urlpw@registry/apis"));
    String text = config.toString();
    for (String secret : List.of("a,b=c;d", "hunter2", "trustpw", "urlpw")) {
      assertFalse(text.contains(secret), text);
    }
    assertTrue(text.contains("sasl.jaas.config=[redacted]"), text);
    assertFalse(config.registryClientSettings().toString().contains("hunter2"));
    assertEquals("qmon:hunter2", config.registryClientSettings().basicAuthUserInfo());

    IllegalArgumentException bad =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                JobConfig.of(
                        Map.of("kafka.producer-properties", "sasl.jaas.config=" + JAAS + ",oops"))
                    .producerProperties());
    assertTrue(bad.getMessage().contains("kafka.producer-properties"), bad.getMessage());
    assertFalse(bad.getMessage().contains("a,b=c;d"), bad.getMessage());
  }

  @Test
  void shouldParseStateCutsAndRefuseARepeatedQubit() {
    assertEquals(List.of(), JobConfig.of(Map.of()).stateCuts());
    List<int[]> cuts = JobConfig.of(Map.of("job.state-cuts", "0,1; 2")).stateCuts();
    assertEquals(2, cuts.size());
    assertArrayEquals(new int[] {0, 1}, cuts.get(0));
    assertArrayEquals(new int[] {2}, cuts.get(1));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> JobConfig.of(Map.of("job.state-cuts", "0,0")).stateCuts());
    assertTrue(e.getMessage().contains("qubit 0 appears twice"), e.getMessage());
  }
}

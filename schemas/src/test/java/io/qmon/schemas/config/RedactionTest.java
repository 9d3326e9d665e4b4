package io.qmon.schemas.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedactionTest {
  private static final String JAAS =
      "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"alice\""
          + " password=\"s3cr,et=x\";";

  @Test
  void shouldHideTheValuesOfSecretKeys() {
    for (String key :
        new String[] {
          "sasl.jaas.config",
          "ssl.truststore.password",
          "ssl.keystore.password",
          "ssl.key.password",
          "ssl.keystore.key",
          "basic.auth.user.info",
          "schema-registry.basic-auth-user-info",
          "mlflow.token",
          "MLFLOW_TRACKING_TOKEN",
          "client.secret",
          "schema-registry.ssl.truststore-password"
        }) {
      assertEquals("[redacted]", Redaction.value(key, "hunter2"), key);
    }
  }

  @Test
  void shouldKeepTheValuesOfOrdinaryKeys() {
    assertEquals("SASL_SSL", Redaction.value("security.protocol", "SASL_SSL"));
    assertEquals("PLAIN", Redaction.value("sasl.mechanism", "PLAIN"));
    assertEquals("/etc/ts.p12", Redaction.value("ssl.truststore.location", "/etc/ts.p12"));
    assertEquals("", Redaction.value("ssl.key.password", ""));
  }

  @Test
  void shouldHideTheUserInfoOfUrls() {
    assertEquals(
        "http://[redacted]@registry:8081/apis",
        Redaction.value("schema-registry.url", "http://bob:pw@registry:8081/apis"));
    assertEquals(
        "GET https://[redacted]@h/x failed, then http://h2/y",
        Redaction.urls("GET https://u:p@h/x failed, then http://h2/y"));
    assertEquals("no url here a@b", Redaction.urls("no url here a@b"));
  }

  @Test
  void shouldRedactEveryValueOfAMapUnderASecretKey() {
    Map<String, String> config = new LinkedHashMap<>();
    config.put("bootstrap.servers", "b:9092");
    config.put("sasl.jaas.config", JAAS);
    assertEquals(
        "{bootstrap.servers=b:9092, sasl.jaas.config=[redacted]}",
        Redaction.map(config).toString());
  }

  @Test
  void shouldHideEverythingAfterASecretKeyInKeyValueText() {
    String text = "security.protocol=SASL_SSL,sasl.jaas.config=" + JAAS + ",linger.ms=5";
    String safe = Redaction.keyValueText(text);
    assertEquals("security.protocol=SASL_SSL,sasl.jaas.config=[redacted]", safe);
    assertFalse(safe.contains("s3cr"));
    assertEquals("linger.ms=5,acks=all", Redaction.keyValueText("linger.ms=5,acks=all"));
    assertTrue(Redaction.keyValueText("password").contains("[redacted]"));
  }
}

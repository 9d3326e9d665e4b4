package io.qmon.schemas.config;

import java.io.Serializable;

/**
 * How to reach a schema registry: its URL, HTTP basic-auth credentials ({@code user:password}, the
 * Confluent client's {@code basic.auth.user.info}) and the trust material of a TLS registry (a
 * PKCS12/JKS truststore or a PEM file of CA certificates). Serializable so a Flink job can ship it
 * to its operators; {@link #toString()} never shows a secret.
 *
 * @param url the API root, e.g. {@code https://registry:8081}; may carry user-info ({@code
 *     https://user:pw@host}), used when {@code basicAuthUserInfo} is empty
 * @param basicAuthUserInfo {@code user:password}, or empty for no authentication
 * @param truststoreLocation path of a truststore or PEM CA file, or empty for the JVM's default
 * @param truststorePassword password of the truststore (empty for PEM files)
 */
public record RegistryClientSettings(
    String url, String basicAuthUserInfo, String truststoreLocation, String truststorePassword)
    implements Serializable {

  public RegistryClientSettings {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("schema registry url must be set");
    }
    basicAuthUserInfo = basicAuthUserInfo == null ? "" : basicAuthUserInfo;
    truststoreLocation = truststoreLocation == null ? "" : truststoreLocation;
    truststorePassword = truststorePassword == null ? "" : truststorePassword;
    if (!basicAuthUserInfo.isEmpty() && basicAuthUserInfo.indexOf(':') < 0) {
      throw new IllegalArgumentException(
          "schema registry basic auth user info must look like user:password");
    }
  }

  /** A registry without authentication and with the JVM's default trust. */
  public static RegistryClientSettings of(String url) {
    return new RegistryClientSettings(url, "", "", "");
  }

  @Override
  public String toString() {
    return "RegistryClientSettings{url="
        + Redaction.urls(url)
        + ", basicAuth="
        + (basicAuthUserInfo.isEmpty() ? "none" : Redaction.REDACTED)
        + ", truststore="
        + (truststoreLocation.isEmpty() ? "default" : truststoreLocation)
        + "}";
  }
}

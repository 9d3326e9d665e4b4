package io.qmon.sink.mlflow;

import java.time.Duration;

/**
 * How the sink reaches the MLflow tracking server: URL, timeouts and credentials (a bearer token,
 * or a username and password for HTTP basic auth, as MLflow's {@code MLFLOW_TRACKING_TOKEN} /
 * {@code MLFLOW_TRACKING_USERNAME} / {@code MLFLOW_TRACKING_PASSWORD}). {@link #toString} never
 * shows a secret.
 *
 * @param trackingUri server URL
 * @param connectTimeout longest wait for a TCP connection
 * @param readTimeout longest wait for an answer (socket inactivity)
 * @param token bearer token, or empty
 * @param username basic-auth user, or empty
 * @param password basic-auth password, or empty
 */
public record MlflowConnection(
    String trackingUri,
    Duration connectTimeout,
    Duration readTimeout,
    String token,
    String username,
    String password) {
  public MlflowConnection {
    if (!token.isEmpty() && !username.isEmpty()) {
      throw new IllegalArgumentException(
          "MLflow credentials: set either a token (mlflow.tracking-token) or a username and"
              + " password (mlflow.tracking-username/-password), not both");
    }
    if (username.isEmpty() != password.isEmpty()) {
      throw new IllegalArgumentException(
          "MLflow credentials: mlflow.tracking-username and mlflow.tracking-password go together");
    }
  }

  /** No credentials, default timeouts: for a local server. */
  public static MlflowConnection anonymous(String trackingUri) {
    return new MlflowConnection(
        trackingUri, Duration.ofSeconds(5), Duration.ofSeconds(60), "", "", "");
  }

  /** The Authorization header value, or null without credentials. */
  public String authorization() {
    if (!token.isEmpty()) {
      return "Bearer " + token;
    }
    if (!username.isEmpty()) {
      return "Basic "
          + java.util.Base64.getEncoder()
              .encodeToString(
                  (username + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    return null;
  }

  @Override
  public String toString() {
    return "MlflowConnection[trackingUri="
        + trackingUri
        + ", connectTimeout="
        + connectTimeout
        + ", readTimeout="
        + readTimeout
        + ", auth="
        + (!token.isEmpty() ? "token(redacted)" : !username.isEmpty() ? "basic(redacted)" : "none")
        + "]";
  }
}

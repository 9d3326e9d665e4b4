package io.qmon.sink.mlflow;

import java.lang.reflect.Field;
import java.time.Duration;
import org.mlflow.tracking.MlflowClient;
import org.mlflow_project.apachehttp.client.config.RequestConfig;
import org.mlflow_project.apachehttp.impl.client.CloseableHttpClient;
import org.mlflow_project.apachehttp.impl.client.HttpClientBuilder;

/**
 * Gives an {@link MlflowClient} connect and read timeouts. The MLflow Java client (2.17.2) builds
 * its Apache HTTP client lazily without any timeout and offers no setting for one, so a server that
 * accepts a connection and never answers would hang a writer lane forever. Its caller keeps the
 * HTTP client in a field and only builds one when the field is null, so this installs a client with
 * timeouts there. Fails loudly if a future client version moves the field (the version is pinned).
 */
final class MlflowClientTimeouts {
  private MlflowClientTimeouts() {}

  static void apply(MlflowClient client, Duration connectTimeout, Duration readTimeout) {
    RequestConfig config =
        RequestConfig.custom()
            .setConnectTimeout(millis(connectTimeout))
            .setConnectionRequestTimeout(millis(connectTimeout))
            .setSocketTimeout(millis(readTimeout))
            .build();
    CloseableHttpClient http = HttpClientBuilder.create().setDefaultRequestConfig(config).build();
    try {
      Field callerField = MlflowClient.class.getDeclaredField("httpCaller");
      callerField.setAccessible(true);
      Object caller = callerField.get(client);
      Field httpField = caller.getClass().getDeclaredField("httpClient");
      httpField.setAccessible(true);
      httpField.set(caller, http);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException(
          "Cannot set timeouts on this version of the MLflow Java client (expected 2.17.x)", e);
    }
  }

  private static int millis(Duration duration) {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, duration.toMillis()));
  }
}

package io.qmon.sink.mlflow;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.mlflow.api.proto.Service.CreateRun;
import org.mlflow.api.proto.Service.Experiment;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Param;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.api.proto.Service.RunStatus;
import org.mlflow.api.proto.Service.RunTag;
import org.mlflow.api.proto.Service.ViewType;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;

/**
 * The MLflow calls the writer makes, over the MLflow Java client, plus artifact upload through the
 * tracking server's artifact proxy ({@code mlflow-artifacts:} URIs). Each method is one logical
 * call that may throw; retrying is the caller's job. Every HTTP call has the connection's connect
 * and read timeouts and carries its credentials.
 */
final class MlflowGateway implements MlflowApi {
  private final MlflowClient client;
  private final String trackingUri;
  private final MlflowConnection connection;
  private final HttpClient http;

  MlflowGateway(MlflowConnection connection) {
    String uri = connection.trackingUri();
    this.trackingUri = uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
    this.connection = connection;
    this.http = HttpClient.newBuilder().connectTimeout(connection.connectTimeout()).build();
    BasicMlflowHostCreds creds =
        !connection.token().isEmpty()
            ? new BasicMlflowHostCreds(trackingUri, connection.token())
            : !connection.username().isEmpty()
                ? new BasicMlflowHostCreds(
                    trackingUri, connection.username(), connection.password())
                : new BasicMlflowHostCreds(trackingUri);
    this.client = new MlflowClient(creds);
    MlflowClientTimeouts.apply(client, connection.connectTimeout(), connection.readTimeout());
  }

  /** The id of the experiment with this name, created if missing. */
  @Override
  public String experimentId(String name) {
    Optional<Experiment> existing = client.getExperimentByName(name);
    if (existing.isPresent()) {
      return existing.get().getExperimentId();
    }
    try {
      return client.createExperiment(name);
    } catch (MlflowHttpException e) {
      // Another writer created it between the lookup and the create.
      return client.getExperimentByName(name).orElseThrow(() -> e).getExperimentId();
    }
  }

  /** Active runs of the experiments whose tag has the value. */
  @Override
  public List<RunInfo> findRunsByTag(List<String> experimentIds, String tag, String value) {
    return client.searchRuns(
        experimentIds, "tags.`" + tag + "` = '" + quote(value) + "'", ViewType.ACTIVE_ONLY);
  }

  /** Ids of every active experiment, for looking up a run whose experiment is not known. */
  @Override
  public List<String> allExperimentIds() {
    List<String> ids = new ArrayList<>();
    var page = client.searchExperiments("", ViewType.ACTIVE_ONLY, 1000, List.of());
    while (true) {
      for (Experiment e : page.getItems()) {
        ids.add(e.getExperimentId());
      }
      if (!page.hasNextPage()) {
        return ids;
      }
      page = (org.mlflow.tracking.ExperimentsPage) page.getNextPage();
    }
  }

  @Override
  public RunInfo createRun(
      String experimentId, String runName, long startTime, Map<String, String> tags) {
    CreateRun.Builder request =
        CreateRun.newBuilder()
            .setExperimentId(experimentId)
            .setRunName(runName)
            .setStartTime(startTime);
    tags.forEach((k, v) -> request.addTags(RunTag.newBuilder().setKey(k).setValue(v)));
    return client.createRun(request.build());
  }

  /** Params and tags in requests within LogBatch's limits. */
  @Override
  public void logParamsAndTags(String runId, Map<String, String> params, Map<String, String> tags) {
    List<Param> ps = new ArrayList<>();
    params.forEach((k, v) -> ps.add(Param.newBuilder().setKey(k).setValue(v).build()));
    List<RunTag> ts = new ArrayList<>();
    tags.forEach((k, v) -> ts.add(RunTag.newBuilder().setKey(k).setValue(v).build()));
    for (int i = 0; i < ps.size(); i += MlflowLimits.MAX_BATCH_PARAMS) {
      client.logBatch(
          runId,
          List.of(),
          ps.subList(i, Math.min(ps.size(), i + MlflowLimits.MAX_BATCH_PARAMS)),
          List.of());
    }
    for (int i = 0; i < ts.size(); i += MlflowLimits.MAX_BATCH_TAGS) {
      client.logBatch(
          runId,
          List.of(),
          List.of(),
          ts.subList(i, Math.min(ts.size(), i + MlflowLimits.MAX_BATCH_TAGS)));
    }
  }

  /** One LogBatch of at most 1000 points. */
  @Override
  public void logMetrics(String runId, List<Metric> points) {
    if (points.size() > MlflowLimits.MAX_BATCH_METRICS) {
      throw new IllegalArgumentException(
          points.size() + " points exceed LogBatch's limit of " + MlflowLimits.MAX_BATCH_METRICS);
    }
    client.logBatch(runId, points, List.of(), List.of());
  }

  /** Identities of every metric point the run already has. */
  @Override
  public Set<String> writtenPoints(String runId) {
    Set<String> written = new HashSet<>();
    for (Metric latest : client.getRun(runId).getData().getMetricsList()) {
      for (Metric point : client.getMetricHistory(runId, latest.getKey())) {
        written.add(MetricPoints.identity(point));
      }
    }
    return written;
  }

  /** The value of a tag of the run, or null. */
  @Override
  public String tag(String runId, String key) {
    for (RunTag tag : client.getRun(runId).getData().getTagsList()) {
      if (tag.getKey().equals(key)) {
        return tag.getValue();
      }
    }
    return null;
  }

  /** Whether the parent run still has a child in RUNNING state. */
  @Override
  public boolean hasOpenChildren(String experimentId, String parentRunId) {
    return !client
        .searchRuns(
            List.of(experimentId),
            "tags.`"
                + RunDescription.PARENT_TAG
                + "` = '"
                + quote(parentRunId)
                + "' and attributes.status = 'RUNNING'",
            ViewType.ACTIVE_ONLY)
        .isEmpty();
  }

  @Override
  public List<Metric> history(String runId, String key) {
    return client.getMetricHistory(runId, key);
  }

  @Override
  public RunInfo runInfo(String runId) {
    return client.getRun(runId).getInfo();
  }

  @Override
  public void terminate(String runId, RunStatus status, long endTime) {
    client.setTerminated(runId, status, endTime);
  }

  /** Uploads one file under the run's artifact root through the server's artifact proxy. */
  @Override
  public void uploadArtifact(RunInfo run, String fileName, byte[] content)
      throws IOException, InterruptedException {
    String uri = run.getArtifactUri();
    String prefix = "mlflow-artifacts:";
    if (!uri.startsWith(prefix)) {
      throw new MlflowHttpException(
          400,
          "Bad Request",
          "Run "
              + run.getRunId()
              + " has artifact URI '"
              + uri
              + "'; the sink uploads through the tracking server's artifact proxy, so start"
              + " the server with --artifacts-destination (serve-artifacts)");
    }
    String path = uri.substring(prefix.length());
    if (path.startsWith("//")) {
      path = path.substring(path.indexOf('/', 2));
    }
    while (path.startsWith("/")) {
      path = path.substring(1);
    }
    URI target =
        URI.create(trackingUri + "/api/2.0/mlflow-artifacts/artifacts/" + path + "/" + fileName);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(target)
            .timeout(connection.readTimeout())
            .PUT(HttpRequest.BodyPublishers.ofByteArray(content));
    String authorization = connection.authorization();
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new MlflowHttpException(response.statusCode(), "artifact upload", response.body());
    }
  }

  private static String quote(String value) {
    return value.replace("\\", "\\\\").replace("'", "\\'");
  }

  @Override
  public void close() {
    client.close();
  }
}

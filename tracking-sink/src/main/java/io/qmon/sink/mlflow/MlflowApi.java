package io.qmon.sink.mlflow;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.api.proto.Service.RunStatus;

/**
 * The MLflow tracking calls the sink makes. Each method is one logical call that may throw {@code
 * MlflowHttpException} (an HTTP answer) or any other exception (no answer); classifying and
 * retrying is the caller's job. {@link MlflowGateway} is the real one.
 */
interface MlflowApi extends AutoCloseable {
  /** The id of the experiment with this name, created if missing. */
  String experimentId(String name);

  /** Active runs of the experiments whose tag has the value. */
  List<RunInfo> findRunsByTag(List<String> experimentIds, String tag, String value);

  /** Ids of every active experiment, for looking up a run whose experiment is not known. */
  List<String> allExperimentIds();

  RunInfo createRun(String experimentId, String runName, long startTime, Map<String, String> tags);

  /** Params and tags in requests within LogBatch's limits. */
  void logParamsAndTags(String runId, Map<String, String> params, Map<String, String> tags);

  /** One LogBatch of at most 1000 points. */
  void logMetrics(String runId, List<Metric> points);

  /** Identities ({@link MetricPoints#identity}) of every metric point the run already has. */
  Set<String> writtenPoints(String runId);

  /** The value of a tag of the run, or null. */
  String tag(String runId, String key);

  /** Whether the parent run still has a child in RUNNING state. */
  boolean hasOpenChildren(String experimentId, String parentRunId);

  /** Every point of one metric of the run. */
  List<Metric> history(String runId, String key);

  void terminate(String runId, RunStatus status, long endTime);

  /** The run's info (its artifact URI among others). */
  RunInfo runInfo(String runId);

  /** Uploads one file under the run's artifact root. */
  void uploadArtifact(RunInfo run, String fileName, byte[] content) throws Exception;

  @Override
  void close();
}

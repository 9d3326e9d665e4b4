package io.qmon.sink.mlflow;

import io.qmon.schemas.MetricRecord;
import io.qmon.schemas.validation.EventValidator;
import io.qmon.schemas.validation.Rejection;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the attachments of a RUN_OPENED record (environment.txt, circuit.qasm ... as the SDKs
 * captured them) as MLflow artifacts under {@value #FOLDER}, as soon as the run opens, so a run
 * that dies still shows how it was made. Idempotent by path: a replayed RUN_OPENED (a sink restart)
 * uploads the same files to the same paths, which the artifact store overwrites.
 */
final class RunAttachments {
  private static final Logger LOG = LoggerFactory.getLogger(RunAttachments.class);

  /** The artifact folder of a run's attachments. */
  static final String FOLDER = "run/";

  private RunAttachments() {}

  /**
   * Uploads each attachment of {@code opened} to {@code run/<name>}. The job has already refused
   * attachments outside the bounds; a record that breaks them anyway (written by something other
   * than the job) has none of them uploaded, so no name can reach outside {@value #FOLDER}.
   */
  static void upload(MlflowApi mlflow, MlflowRunRegistry.Entry run, MetricRecord opened)
      throws Exception {
    Map<String, String> attachments = opened.getAttachments();
    Optional<Rejection> refused = EventValidator.checkAttachments(attachments);
    if (refused.isPresent()) {
      LOG.warn(
          "Run {}: its RUN_OPENED attachments are not uploaded: {}",
          opened.getRunId(),
          refused.get().reason());
      return;
    }
    for (Map.Entry<String, String> file : new TreeMap<>(attachments).entrySet()) {
      mlflow.uploadArtifact(
          run.run, FOLDER + file.getKey(), file.getValue().getBytes(StandardCharsets.UTF_8));
    }
  }
}

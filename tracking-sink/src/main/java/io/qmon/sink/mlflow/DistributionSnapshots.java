package io.qmon.sink.mlflow;

import io.qmon.schemas.MetricRecord;
import org.mlflow.api.proto.Service.RunInfo;

/**
 * Uploads the distribution snapshot of a record that carries a histogram (every {@code
 * job.histogram-every-epochs}-th EPOCH record, and RUN_CLOSED) while the run is live: one chart and
 * one CSV per histogram record, at paths fixed by the histogram's epoch ({@link
 * RunArtifacts#snapshotPath}). A replay after a sink restart (records not yet committed) uploads
 * the same bytes to the same paths, so the artifacts never double; the cost is bounded by the job's
 * histogram interval, not by the epoch rate.
 */
final class DistributionSnapshots {
  private DistributionSnapshots() {}

  /** Whether the record carries a histogram to snapshot. */
  static boolean has(MetricRecord record) {
    return record.getHistogram() != null;
  }

  static void upload(MlflowApi mlflow, RunInfo run, MetricRecord record) throws Exception {
    int epoch = record.getHistogram().getEpoch();
    mlflow.uploadArtifact(
        run, RunArtifacts.snapshotPath(epoch, "png"), RunArtifacts.histogramPng(record));
    mlflow.uploadArtifact(
        run, RunArtifacts.snapshotPath(epoch, "csv"), RunArtifacts.histogramCsv(record));
  }
}

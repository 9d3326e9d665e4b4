package io.qmon.sink.mlflow;

import io.qmon.schemas.MetricRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.tracking.MlflowClientException;
import org.mlflow.tracking.MlflowHttpException;

/**
 * The MLflow side of a writer lane: runs from the {@link MlflowRunRegistry}, points in LogBatch
 * requests without the ones MLflow already has, and the end of a run through the {@link
 * RunFinaliser}; the live distribution snapshots ({@link DistributionSnapshots}) after the points
 * of their records. Translates failures for the lane: 401/403 → {@link UnauthorizedException},
 * other 4xx except 408/429 → {@link RunRejectedException} (that run only), no answer or 5xx
 * transient, anything else a failure on that run's data (rejected too; see {@link #call}).
 */
final class MlflowDestination implements RunDestination {
  private final MlflowApi mlflow;
  private final MlflowRunRegistry registry;
  private final RunFinaliser finaliser;
  private final WriterStats stats;
  private final int batchMaxMetrics;

  MlflowDestination(
      MlflowApi mlflow, MlflowWriter.Shared shared, WriterStats stats, int batchMaxMetrics) {
    this.mlflow = mlflow;
    this.registry = new MlflowRunRegistry(mlflow, shared, stats);
    this.finaliser = new RunFinaliser(mlflow);
    this.stats = stats;
    this.batchMaxMetrics = batchMaxMetrics;
  }

  @Override
  public void open(MetricRecord opened) {
    call(
        opened.getRunId(),
        "opening the run",
        () -> RunAttachments.upload(mlflow, registry.open(opened), opened));
  }

  @Override
  public void write(String runId, List<MetricRecord> records) {
    call(
        runId,
        "logging metrics",
        () -> {
          MlflowRunRegistry.Entry run = registry.resolve(records.get(0));
          List<Metric> points = new ArrayList<>();
          for (MetricRecord record : records) {
            points.addAll(MetricPoints.of(record));
          }
          logPoints(run, points);
          for (MetricRecord record : records) {
            if (DistributionSnapshots.has(record)) {
              DistributionSnapshots.upload(mlflow, run.run, record);
              stats.snapshotsUploaded.incrementAndGet();
            }
          }
        });
  }

  @Override
  public void close(MetricRecord closed) {
    call(
        closed.getRunId(),
        "closing the run",
        () -> {
          MlflowRunRegistry.Entry run = registry.resolve(closed);
          logPoints(run, MetricPoints.of(closed));
          finaliser.finish(run, closed);
          registry.forget(closed.getRunId());
        });
  }

  @Override
  public void forget(String runId) {
    registry.forget(runId);
  }

  private void logPoints(MlflowRunRegistry.Entry run, List<Metric> points) {
    String id = run.mlflowRunId();
    if (run.written == null) {
      run.written = mlflow.writtenPoints(id);
    }
    List<Metric> fresh = new ArrayList<>();
    Set<String> inBatch = new HashSet<>();
    int duplicates = 0;
    for (Metric point : points) {
      String identity = MetricPoints.identity(point);
      if (run.written.contains(identity) || !inBatch.add(identity)) {
        duplicates++;
      } else {
        fresh.add(point);
      }
    }
    for (int i = 0; i < fresh.size(); i += batchMaxMetrics) {
      List<Metric> chunk = fresh.subList(i, Math.min(fresh.size(), i + batchMaxMetrics));
      try {
        mlflow.logMetrics(id, chunk);
      } catch (RuntimeException e) {
        // MLflow may have stored the batch before failing to answer: re-read before retrying.
        run.written = null;
        throw e;
      }
      for (Metric point : chunk) {
        run.written.add(MetricPoints.identity(point));
      }
      stats.pointsWritten.addAndGet(chunk.size());
      stats.batches.incrementAndGet();
    }
    stats.duplicatesSkipped.addAndGet(duplicates);
  }

  /** One MLflow call on behalf of a run. */
  @FunctionalInterface
  interface Call {
    void run() throws Exception;
  }

  /**
   * Runs one call and sorts its failure for the lane: MLflow's HTTP answers by {@link #classify};
   * no answer (connection refused, timeouts: {@code MlflowClientException}, I/O errors) is
   * transient; anything else is a failure on this run's data (a value the charts or the client
   * cannot take) and rejects the run alone, so one poison record never blocks a lane forever.
   */
  static void call(String runId, String what, Call call) {
    try {
      call.run();
    } catch (MlflowHttpException e) {
      throw classify(runId, what, e);
    } catch (MlflowClientException | UncheckedIOException | WriterLane.Stopped e) {
      throw e;
    } catch (IOException e) {
      throw new UncheckedIOException("Run " + runId + ": " + what + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WriterLane.Stopped(what + " of run " + runId);
    } catch (Exception e) {
      throw new RunRejectedException(
          "Run " + runId + ": " + what + " failed on the run's data: " + e, e);
    }
  }

  /** What an MLflow HTTP error means for the lane. */
  static RuntimeException classify(String runId, String what, MlflowHttpException e) {
    int code = e.getStatusCode();
    String detail =
        "Run "
            + runId
            + ": "
            + what
            + " refused by MLflow (HTTP "
            + code
            + "): "
            + e.getBodyMessage();
    if (code == 401 || code == 403) {
      return new UnauthorizedException(detail, e);
    }
    if (code >= 400 && code < 500 && code != 429 && code != 408) {
      return new RunRejectedException(detail, e);
    }
    return e;
  }
}

package io.qmon.sink.mlflow;

import io.qmon.schemas.RunFinished;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.RunInfo;

/** What the writer holds for one open qmon run; dropped once the run is finalized. */
final class RunState {
  final String qmonRunId;
  final RunInfo mlflowRun;
  final String parentRunId;

  /** Identities of points MLflow has; null until loaded, reset after an ambiguous failure. */
  Set<String> written;

  final List<Metric> pendingPoints = new ArrayList<>();
  final List<Work> pendingWork = new ArrayList<>();
  int maxEpoch;
  long lastActivityMillis;
  boolean stalled;

  RunFinished finish;
  Work finishWork;
  long finishDeadlineMillis;
  long endTimeMillis;

  RunState(String qmonRunId, RunInfo mlflowRun, String parentRunId, long now) {
    this.qmonRunId = qmonRunId;
    this.mlflowRun = mlflowRun;
    this.parentRunId = parentRunId;
    this.lastActivityMillis = now;
  }

  String mlflowRunId() {
    return mlflowRun.getRunId();
  }
}

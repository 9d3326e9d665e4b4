package io.qmon.bench.eval;

import io.qmon.jobs.detect.DetectAnomalies;
import io.qmon.jobs.detect.DetectorCatalog;
import io.qmon.metrics.detect.AlertDecision;
import io.qmon.metrics.detect.AlertState;
import io.qmon.metrics.detect.Detector;
import io.qmon.metrics.detect.Observation;
import io.qmon.schemas.MetricRecord;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Feeds a stream's epoch records through a {@code job.detectors} selection built by the job's own
 * {@link DetectorCatalog}, exactly as {@code DetectAnomalies} does (one state per detector, the
 * observation made from the record's metrics and floors, the clock the record's event time).
 */
final class QmonDetectorRun {
  private final DetectAnomalies.DetectorFactory factory;

  QmonDetectorRun(String selection) {
    this.factory = DetectorCatalog.factory(selection);
  }

  List<Episode> episodes(LabelledStream stream) {
    long[] now = {0};
    List<Detector<? extends Serializable>> detectors = factory.apply(() -> now[0]);
    Map<String, Serializable> states = new HashMap<>();
    Map<String, AlertDecision> open = new HashMap<>();
    List<Episode> out = new ArrayList<>();
    for (MetricRecord r : stream.records()) {
      now[0] = r.getEventTime().toEpochMilli();
      Observation o = Observation.of(r.getLastEpoch(), r.getMetrics(), r.getNoiseFloors());
      for (Detector<? extends Serializable> d : detectors) {
        Optional<AlertDecision> decision = observe(d, states, o);
        if (decision.isEmpty()) {
          continue;
        }
        AlertDecision a = decision.get();
        if (a.state() == AlertState.FIRING) {
          open.put(d.name(), a);
        } else {
          AlertDecision fired = open.remove(d.name());
          if (fired != null) {
            out.add(new Episode(d.name(), fired.severity(), fired.epoch(), a.epoch()));
          }
        }
      }
    }
    for (AlertDecision fired : open.values()) {
      out.add(new Episode(fired.detector(), fired.severity(), fired.epoch(), 0));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static <S extends Serializable> Optional<AlertDecision> observe(
      Detector<S> detector, Map<String, Serializable> states, Observation o) {
    S state = (S) states.computeIfAbsent(detector.name(), name -> detector.initialState());
    return detector.observe(state, o);
  }
}

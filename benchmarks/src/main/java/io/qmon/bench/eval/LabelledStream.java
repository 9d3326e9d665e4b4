package io.qmon.bench.eval;

import io.qmon.schemas.MetricRecord;
import java.util.List;

/** A stream case and the epoch metric records the job's scorer made of it, in epoch order. */
public record LabelledStream(StreamCase spec, List<MetricRecord> records) {
  public LabelledStream {
    records = List.copyOf(records);
  }
}

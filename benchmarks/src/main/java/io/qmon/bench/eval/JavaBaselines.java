package io.qmon.bench.eval;

import io.qmon.metrics.MetricNames;
import io.qmon.metrics.detect.Severity;
import io.qmon.schemas.MetricRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * The baselines a user would otherwise set up, re-implemented here on the same JSD series (each is
 * a few lines of arithmetic; the libraries themselves are Python dashboards, not streaming cores):
 *
 * <ul>
 *   <li>a static threshold, JSD &gt; 0.1 (Evidently's default drift threshold for JS distance);
 *   <li>a 3σ band over reference chunks (NannyML's default thresholds): chunks of 5 epochs, the
 *       band the mean ± 3σ of the chunk means of the reference period, an alert when a later
 *       chunk's mean leaves it upwards (only upwards, which spares the baseline the alerts a
 *       falling training curve would raise below the band);
 *   <li>a rolling z-score, window 30 and threshold 3 (W&amp;B Automations), alerting on increases.
 * </ul>
 *
 * Each returns its alert episodes: consecutive breaching epochs (chunks) form one episode.
 */
final class JavaBaselines {
  static final String STATIC = "static JSD>0.1 (Evidently)";
  static final String NANNYML = "3σ chunk band (NannyML)";
  static final String ZSCORE = "rolling z w30 z3 (W&B)";

  private JavaBaselines() {}

  static double[] jsd(LabelledStream s) {
    List<MetricRecord> records = s.records();
    double[] out = new double[records.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = records.get(i).getMetrics().get(MetricNames.JSD);
    }
    return out;
  }

  static List<Episode> staticThreshold(double[] x) {
    boolean[] breach = new boolean[x.length];
    for (int i = 0; i < x.length; i++) {
      breach[i] = x[i] > 0.1;
    }
    return episodes(STATIC, breach);
  }

  /**
   * @param referenceEpochs the first epochs, known to be healthy in every stream, that set the band
   */
  static List<Episode> chunkBand(double[] x, int referenceEpochs) {
    int chunk = 5;
    int refChunks = referenceEpochs / chunk;
    double[] means = new double[refChunks];
    for (int c = 0; c < refChunks; c++) {
      means[c] = mean(x, c * chunk, (c + 1) * chunk);
    }
    double m = mean(means, 0, refChunks);
    double sd = 0;
    for (double v : means) {
      sd += (v - m) * (v - m);
    }
    sd = Math.sqrt(sd / Math.max(1, refChunks - 1));
    double upper = m + 3 * sd;
    boolean[] breach = new boolean[x.length];
    for (int start = refChunks * chunk; start + chunk <= x.length; start += chunk) {
      // A chunk is judged when its last epoch arrives.
      breach[start + chunk - 1] = mean(x, start, start + chunk) > upper;
      for (int i = start; i < start + chunk - 1; i++) {
        breach[i] = breach[Math.max(0, start - 1)];
      }
    }
    return episodes(NANNYML, breach);
  }

  static List<Episode> rollingZ(double[] x) {
    int window = 30;
    boolean[] breach = new boolean[x.length];
    for (int i = window; i < x.length; i++) {
      double m = mean(x, i - window, i);
      double ss = 0;
      for (int j = i - window; j < i; j++) {
        ss += (x[j] - m) * (x[j] - m);
      }
      double sd = Math.sqrt(ss / (window - 1));
      breach[i] = sd > 0 && (x[i] - m) / sd > 3;
    }
    return episodes(ZSCORE, breach);
  }

  /** Runs of breaching epochs (index i is epoch i+1) as episodes. */
  static List<Episode> episodes(String source, boolean[] breach) {
    List<Episode> out = new ArrayList<>();
    int start = -1;
    for (int i = 0; i < breach.length; i++) {
      if (breach[i] && start < 0) {
        start = i;
      } else if (!breach[i] && start >= 0) {
        out.add(new Episode(source, Severity.WARNING, start + 1, i + 1));
        start = -1;
      }
    }
    if (start >= 0) {
      out.add(new Episode(source, Severity.WARNING, start + 1, 0));
    }
    return out;
  }

  private static double mean(double[] x, int from, int to) {
    double s = 0;
    for (int i = from; i < to; i++) {
      s += x[i];
    }
    return s / (to - from);
  }
}

package io.qmon.sink.alerts;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The {@code generatorURL} of a run's alerts: a link into the MLflow UI. The notifier reads only
 * {@code qgm.alerts} and does not know the MLflow experiment and run ids the MLflow writer was
 * given, so it cannot build MLflow's run URL ({@code <base>/#/experiments/<experiment_id>/runs/
 * <run_id>}); it links MLflow's experiment search with a filter on the {@code qmon.run_id} tag the
 * writer sets on every run. Pure.
 */
public final class RunLinks {
  private final String base;

  /**
   * @param mlflowUiUrl the MLflow UI base URL; empty: alerts carry no link
   */
  public RunLinks(String mlflowUiUrl) {
    String trimmed = mlflowUiUrl == null ? "" : mlflowUiUrl.trim();
    this.base = trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
  }

  /** The link for a run, or null when no MLflow UI URL is configured. */
  public String of(String runId) {
    if (base.isEmpty()) {
      return null;
    }
    String filter = "tags.`qmon.run_id` = '" + runId.replace("'", "\\'") + "'";
    return base
        + "/#/experiments?searchFilter="
        + URLEncoder.encode(filter, StandardCharsets.UTF_8).replace("+", "%20");
  }
}

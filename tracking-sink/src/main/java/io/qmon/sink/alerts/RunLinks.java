package io.qmon.sink.alerts;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Function;

/**
 * The {@code generatorURL} of a run's alerts: a link into the MLflow UI. When the MLflow writer
 * runs in the same process and has created or found the run, the link is the run's own page ({@code
 * <base>/#/experiments/<experiment_id>/runs/<run_id>}, the route the writer's {@code runPage}
 * gives). Otherwise the notifier, which reads only {@code qgm.alerts}, does not know the MLflow
 * ids, and links MLflow's experiment search with a filter on the {@code qmon.run_id} tag the writer
 * sets on every run. Pure, given the lookup.
 */
public final class RunLinks {
  private final String base;
  private final Function<String, Optional<String>> knownRunPages;

  /**
   * Links that search by tag only.
   *
   * @param mlflowUiUrl the MLflow UI base URL; empty: alerts carry no link
   */
  public RunLinks(String mlflowUiUrl) {
    this(mlflowUiUrl, runId -> Optional.empty());
  }

  /**
   * @param mlflowUiUrl the MLflow UI base URL; empty: alerts carry no link
   * @param knownRunPages the UI route ({@code #/experiments/<id>/runs/<id>}) of a qmon run's MLflow
   *     run, when known
   */
  public RunLinks(String mlflowUiUrl, Function<String, Optional<String>> knownRunPages) {
    String trimmed = mlflowUiUrl == null ? "" : mlflowUiUrl.trim();
    this.base = trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    this.knownRunPages = knownRunPages;
  }

  /** The link for a run, or null when no MLflow UI URL is configured. */
  public String of(String runId) {
    if (base.isEmpty()) {
      return null;
    }
    Optional<String> page = knownRunPages.apply(runId);
    if (page.isPresent()) {
      return base + "/" + page.get();
    }
    String filter = "tags.`qmon.run_id` = '" + runId.replace("'", "\\'") + "'";
    return base
        + "/#/experiments?searchFilter="
        + URLEncoder.encode(filter, StandardCharsets.UTF_8).replace("+", "%20");
  }
}

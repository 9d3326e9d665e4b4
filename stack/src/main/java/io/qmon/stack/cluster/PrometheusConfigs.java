package io.qmon.stack.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Derives the Prometheus configuration of {@code qmon cluster} from docker-compose's {@code
 * grafana/prometheus.yml}, so both run from one file: every scrape target {@code host:port} names a
 * compose service, and is replaced by the loopback addresses where that service runs as a local
 * process; everything else (intervals, job names, relabelling) is kept as written.
 */
public final class PrometheusConfigs {
  private PrometheusConfigs() {}

  /**
   * The local configuration.
   *
   * @param compose the parsed compose {@code prometheus.yml}
   * @param targetsByHost for each compose service host name, the local {@code host:port} targets
   * @param pushedHosts hosts whose metrics reach Prometheus through a Pushgateway: their scrape
   *     jobs get {@code honor_labels: true}, so the pushed {@code job} and {@code instance} labels
   *     stay
   * @param ruleFiles absolute paths of the rule files to load (none: {@code rule_files} is dropped)
   * @param alertmanager the local Alertmanager {@code host:port}, if one runs (none: alerting is
   *     dropped)
   * @throws IllegalArgumentException when a target names a host that is not in {@code
   *     targetsByHost} or is not {@code host:port}
   */
  public static ObjectNode forLocalProcesses(
      JsonNode compose,
      Map<String, List<String>> targetsByHost,
      Set<String> pushedHosts,
      List<String> ruleFiles,
      Optional<String> alertmanager) {
    if (!compose.isObject()) {
      throw new IllegalArgumentException("prometheus.yml is not a YAML mapping");
    }
    ObjectNode local = (ObjectNode) compose.deepCopy();
    for (JsonNode scrape : local.path("scrape_configs")) {
      boolean pushed = false;
      for (JsonNode staticConfig : scrape.path("static_configs")) {
        pushed |= retarget((ObjectNode) staticConfig, targetsByHost, pushedHosts);
      }
      if (pushed) {
        ((ObjectNode) scrape).put("honor_labels", true);
      }
    }
    if (ruleFiles.isEmpty()) {
      local.remove("rule_files");
    } else {
      ArrayNode files = local.putArray("rule_files");
      ruleFiles.forEach(files::add);
    }
    if (alertmanager.isEmpty()) {
      local.remove("alerting");
    } else if (local.path("alerting").path("alertmanagers").isArray()) {
      Map<String, List<String>> alertmanagers = Map.of("alertmanager", List.of(alertmanager.get()));
      for (JsonNode manager : local.path("alerting").path("alertmanagers")) {
        for (JsonNode staticConfig : manager.path("static_configs")) {
          retarget((ObjectNode) staticConfig, alertmanagers, Set.of());
        }
      }
    } else {
      local
          .putObject("alerting")
          .putArray("alertmanagers")
          .addObject()
          .putArray("static_configs")
          .addObject()
          .putArray("targets")
          .add(alertmanager.get());
    }
    return local;
  }

  /** Replaces the targets of one static config; true if any of them is pushed. */
  private static boolean retarget(
      ObjectNode staticConfig, Map<String, List<String>> targetsByHost, Set<String> pushedHosts) {
    Set<String> local = new LinkedHashSet<>();
    boolean pushed = false;
    for (JsonNode target : staticConfig.path("targets")) {
      String text = target.asText();
      int colon = text.lastIndexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("prometheus.yml target '" + text + "' is not host:port");
      }
      String host = text.substring(0, colon);
      List<String> addresses = targetsByHost.get(host);
      if (addresses == null) {
        throw new IllegalArgumentException(
            "prometheus.yml target '"
                + text
                + "' names host '"
                + host
                + "', which is none of the local services "
                + targetsByHost.keySet());
      }
      local.addAll(addresses);
      pushed |= pushedHosts.contains(host);
    }
    ArrayNode targets = staticConfig.putArray("targets");
    local.forEach(targets::add);
    return pushed;
  }
}

package io.qmon.stack.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PrometheusConfigsTest {
  private static final YAMLMapper YAML = new YAMLMapper();

  private static final String COMPOSE =
      String.join(
          "\n",
          "global:",
          "  scrape_interval: 5s",
          "rule_files: [/etc/prometheus/rules/*.yml]",
          "alerting:",
          "  alertmanagers:",
          "    - static_configs:",
          "        - targets: ['alertmanager:9093']",
          "scrape_configs:",
          "  - job_name: flink",
          "    static_configs:",
          "      - targets: ['jobmanager:9249', 'taskmanager:9249']",
          "  - job_name: qmon-tracking-sink",
          "    scrape_interval: 2s",
          "    static_configs:",
          "      - targets: ['tracking-sink:9464']",
          "");

  private static final Map<String, List<String>> LOCAL =
      Map.of(
          "jobmanager", List.of("127.0.0.1:9091"),
          "taskmanager", List.of("127.0.0.1:9091"),
          "tracking-sink", List.of("127.0.0.1:40001"));

  @Test
  void shouldPointEveryComposeTargetAtItsLocalProcessAndKeepTheRest() throws Exception {
    JsonNode local =
        PrometheusConfigs.forLocalProcesses(
            YAML.readTree(COMPOSE),
            LOCAL,
            Set.of("jobmanager", "taskmanager"),
            List.of("/repo/grafana/rules/qmon.yml"),
            Optional.of("127.0.0.1:40002"));

    JsonNode expected =
        YAML.readTree(
            String.join(
                "\n",
                "global:",
                "  scrape_interval: 5s",
                "rule_files: [/repo/grafana/rules/qmon.yml]",
                "alerting:",
                "  alertmanagers:",
                "    - static_configs:",
                "        - targets: ['127.0.0.1:40002']",
                "scrape_configs:",
                "  - job_name: flink",
                "    static_configs:",
                "      - targets: ['127.0.0.1:9091']",
                "    honor_labels: true",
                "  - job_name: qmon-tracking-sink",
                "    scrape_interval: 2s",
                "    static_configs:",
                "      - targets: ['127.0.0.1:40001']",
                ""));
    assertEquals(expected, local);
  }

  @Test
  void shouldAddAnAlertmanagerAndDropAbsentRulesWhenComposeHasNone() throws Exception {
    JsonNode local =
        PrometheusConfigs.forLocalProcesses(
            YAML.readTree(
                "scrape_configs:\n"
                    + "  - job_name: sink\n"
                    + "    static_configs:\n"
                    + "      - targets: ['tracking-sink:9464']\n"
                    + "rule_files: [/etc/prometheus/rules/*.yml]\n"),
            LOCAL,
            Set.of(),
            List.of(),
            Optional.of("127.0.0.1:40002"));

    assertTrue(local.path("rule_files").isMissingNode());
    assertEquals(
        "127.0.0.1:40002",
        local.at("/alerting/alertmanagers/0/static_configs/0/targets/0").asText());
    assertTrue(local.at("/scrape_configs/0/honor_labels").isMissingNode());
  }

  @Test
  void shouldDropAlertingWhenNoAlertmanagerRuns() throws Exception {
    JsonNode local =
        PrometheusConfigs.forLocalProcesses(
            YAML.readTree(COMPOSE), LOCAL, Set.of(), List.of(), Optional.empty());

    assertTrue(local.path("alerting").isMissingNode());
  }

  @Test
  void shouldRefuseATargetOfAServiceThatDoesNotRunLocally() throws Exception {
    JsonNode compose =
        YAML.readTree(
            "scrape_configs:\n"
                + "  - job_name: grafana\n"
                + "    static_configs:\n"
                + "      - targets: ['grafana:3000']\n");

    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                PrometheusConfigs.forLocalProcesses(
                    compose, LOCAL, Set.of(), List.of(), Optional.empty()));
    assertTrue(refused.getMessage().contains("'grafana'"), refused.getMessage());
  }
}

package io.qmon.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.qmon.schemas.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * What can be checked of {@code docker-compose.yml} without Docker: the files it mounts exist, the
 * Grafana dashboard providers look where the dashboards are mounted, the topics it creates are
 * exactly the platform's ({@link Topics}), every {@code host:port} a service is configured with
 * names a service of the file and a port that service exposes, every {@code depends_on} target has
 * a health check (or is a one-shot job waited for until it completes), and images are pinned.
 */
class ComposeFileTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern HOST_PORT =
      Pattern.compile("(?<![\\w.-])([a-z][a-z0-9-]*):(\\d{2,5})(?![\\d])");
  private static final Pattern TOPIC_LOOP =
      Pattern.compile("for t in ([^;]+); do\\s*\\n([^\\n]*)\\n\\s*done");
  private static final Set<String> NOT_SERVICES =
      Set.of("localhost", "http", "https", "jdbc", "postgresql", "file", "sqlite");

  private static Path root;
  private static JsonNode compose;
  private static JsonNode services;

  @BeforeAll
  static void readComposeFile() throws IOException {
    Path dir = Path.of("").toAbsolutePath();
    while (!Files.exists(dir.resolve("docker-compose.yml"))) {
      dir = dir.getParent();
      assertTrue(dir != null, "docker-compose.yml above the working directory");
    }
    root = dir;
    compose = YAML.readTree(root.resolve("docker-compose.yml").toFile());
    services = compose.path("services");
    assertTrue(services.size() > 0, "services in docker-compose.yml");
  }

  @Test
  void shouldMountOnlyFilesThatExistInTheRepository() throws IOException {
    List<String> missing = new ArrayList<>();
    for (Map.Entry<String, JsonNode> service : services.properties()) {
      for (JsonNode volume : service.getValue().path("volumes")) {
        String source = volume.asText().split(":")[0];
        if (!source.startsWith("./")) {
          assertTrue(
              compose.path("volumes").has(source),
              service.getKey() + " mounts named volume " + source + ", declared under volumes:");
          continue;
        }
        Path path = root.resolve(source.substring(2)).normalize();
        if (path.toString().contains("/target/")) {
          // A build output: the module exists and builds a jar of that name (artifactId-version).
          Path module = root.relativize(path).getName(0);
          String prefix = buildName(root.resolve(module).resolve("pom.xml"));
          assertTrue(
              path.getFileName().toString().startsWith(prefix),
              service.getKey()
                  + " mounts "
                  + source
                  + ", which "
                  + module
                  + " builds as "
                  + prefix);
        } else if (!Files.exists(path)) {
          missing.add(service.getKey() + ": " + source);
        }
      }
    }
    assertEquals(List.of(), missing, "mounted files missing from the repository");
  }

  /** {@code artifactId-version} of a module's pom (the version inherited from the parent). */
  private static String buildName(Path pom) throws IOException {
    try {
      Element project =
          DocumentBuilderFactory.newInstance()
              .newDocumentBuilder()
              .parse(pom.toFile())
              .getDocumentElement();
      Element parent = (Element) project.getElementsByTagName("parent").item(0);
      return childText(project, "artifactId") + "-" + childText(parent, "version");
    } catch (ParserConfigurationException | SAXException e) {
      throw new IOException("Cannot read " + pom, e);
    }
  }

  private static String childText(Element element, String name) {
    for (Node child = element.getFirstChild(); child != null; child = child.getNextSibling()) {
      if (child instanceof Element e && e.getTagName().equals(name)) {
        return e.getTextContent().trim();
      }
    }
    throw new AssertionError("<" + name + "> in <" + element.getTagName() + ">");
  }

  @Test
  void shouldLookForDashboardsWhereGrafanaMountsThem() throws IOException {
    Map<String, Path> mounts = new TreeMap<>();
    for (JsonNode volume : services.path("grafana").path("volumes")) {
      String[] parts = volume.asText().split(":");
      mounts.put(parts[1], root.resolve(parts[0].substring(2)).normalize());
    }
    Path provisioning = mounts.get("/etc/grafana/provisioning");
    assertTrue(provisioning != null, "grafana mounts its provisioning folder: " + mounts);
    List<Path> providerFiles;
    try (Stream<Path> files = Files.list(provisioning.resolve("dashboards"))) {
      providerFiles = files.filter(f -> f.toString().endsWith(".yml")).toList();
    }
    assertFalse(providerFiles.isEmpty(), "dashboard provider files");
    for (Path file : providerFiles) {
      for (JsonNode provider : YAML.readTree(file.toFile()).path("providers")) {
        String path = provider.path("options").path("path").asText();
        Path local = localPathOf(path, mounts);
        assertTrue(
            local != null,
            file.getFileName() + " provider path " + path + " is not under a mount: " + mounts);
        assertTrue(
            Files.isDirectory(local),
            file.getFileName() + " provider path " + path + " maps to " + local + ", no folder");
        try (Stream<Path> dashboards = Files.walk(local)) {
          assertTrue(
              dashboards.anyMatch(d -> d.toString().endsWith(".json")),
              "dashboards (*.json) under " + local + ", mounted at " + path);
        }
      }
    }
  }

  /** The repository path a container path maps to, or null when no mount covers it. */
  private static Path localPathOf(String containerPath, Map<String, Path> mounts) {
    for (Map.Entry<String, Path> mount : mounts.entrySet()) {
      String target = mount.getKey();
      if (containerPath.equals(target)) {
        return mount.getValue();
      }
      if (containerPath.startsWith(target + "/")) {
        return mount.getValue().resolve(containerPath.substring(target.length() + 1));
      }
    }
    return null;
  }

  @Test
  void shouldCreateExactlyThePlatformsTopicsAndCompactTheCompactedOnes() {
    String script = String.join("\n", texts(services.path("topics").path("command")));
    Set<String> created = new TreeSet<>();
    Set<String> compacted = new TreeSet<>();
    Matcher loop = TOPIC_LOOP.matcher(script);
    while (loop.find()) {
      List<String> topics = List.of(loop.group(1).trim().split("\\s+"));
      for (String topic : topics) {
        assertTrue(created.add(topic), topic + " is created once");
      }
      if (loop.group(2).contains("cleanup.policy=compact")) {
        compacted.addAll(topics);
      }
    }
    assertEquals(new TreeSet<>(Topics.ALL), created, "topics created by the topics service");
    assertEquals(new TreeSet<>(Topics.COMPACTED), compacted, "compacted topics");
  }

  @Test
  void shouldReferToServicesOfThisFileOnPortsTheyExpose() throws IOException {
    List<String> wrong = new ArrayList<>();
    for (Map.Entry<String, JsonNode> service : services.properties()) {
      List<String> configuration = texts(service.getValue().path("environment"));
      configuration.addAll(texts(service.getValue().path("command")));
      for (String text : configuration) {
        check(service.getKey(), text, wrong);
      }
    }
    // Prometheus' scrape targets come from the mounted configuration file.
    check("prometheus", Files.readString(root.resolve("grafana/prometheus.yml")), wrong);
    assertEquals(List.of(), wrong, "host:port references that name no service or port");
  }

  private static void check(String service, String text, List<String> wrong) {
    Matcher matcher = HOST_PORT.matcher(text);
    while (matcher.find()) {
      String host = matcher.group(1);
      String port = matcher.group(2);
      if (NOT_SERVICES.contains(host)) {
        continue;
      }
      JsonNode target = services.path(host);
      if (target.isMissingNode()) {
        wrong.add(service + " -> " + host + ":" + port + " (no service " + host + ")");
      } else if (!containerPorts(target).contains(port)) {
        wrong.add(
            service
                + " -> "
                + host
                + ":"
                + port
                + " ("
                + host
                + " exposes "
                + containerPorts(target)
                + ")");
      }
    }
  }

  private static Set<String> containerPorts(JsonNode service) {
    Set<String> ports = new HashSet<>(texts(service.path("expose")));
    for (String mapping : texts(service.path("ports"))) {
      String[] parts = mapping.split(":");
      ports.add(parts[parts.length - 1]);
    }
    return ports;
  }

  @Test
  void shouldWaitOnlyForServicesWithAHealthCheckOrOneShotJobs() {
    List<String> wrong = new ArrayList<>();
    for (Map.Entry<String, JsonNode> service : services.properties()) {
      JsonNode dependsOn = service.getValue().path("depends_on");
      assertTrue(
          !dependsOn.isArray(),
          service.getKey() + " lists depends_on without conditions: it would not wait for health");
      for (Map.Entry<String, JsonNode> dependency : dependsOn.properties()) {
        String condition = dependency.getValue().path("condition").asText();
        JsonNode target = services.path(dependency.getKey());
        boolean ok =
            switch (condition) {
              case "service_healthy" -> target.has("healthcheck");
              case "service_completed_successfully" -> !target.has("ports");
              default -> false;
            };
        if (!ok) {
          wrong.add(service.getKey() + " -> " + dependency.getKey() + " (" + condition + ")");
        }
      }
    }
    assertEquals(List.of(), wrong, "depends_on without a health check to wait for");
  }

  @Test
  void shouldPinEveryImageAndKeepStateInNamedVolumes() {
    for (Map.Entry<String, JsonNode> service : services.properties()) {
      String image = service.getValue().path("image").asText();
      assertTrue(
          image.contains(":") && !image.endsWith(":latest"),
          service.getKey() + " pins its image version: " + image);
    }
    assertEquals(
        Set.of("kafka-data", "registry-db", "flink-checkpoints", "mlflow-data"),
        fieldNames(compose.path("volumes")));
    assertTrue(
        texts(services.path("jobmanager").path("command")).get(0).contains("--job.checkpoint-dir"),
        "the job checkpoints into the named volume");
  }

  private static Set<String> fieldNames(JsonNode node) {
    Set<String> names = new TreeSet<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** The strings of a scalar, a list, or a map's values. */
  private static List<String> texts(JsonNode node) {
    List<String> texts = new ArrayList<>();
    if (node.isValueNode()) {
      texts.add(node.asText());
    } else {
      node.elements().forEachRemaining(e -> texts.addAll(texts(e)));
    }
    return texts;
  }
}

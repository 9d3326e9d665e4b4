package io.qmon.producers.sdk;

import io.qmon.schemas.validation.InputBounds;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a Java run was made with, captured when it starts: MLflow's source tags ({@code
 * mlflow.source.git.commit}, {@code mlflow.source.git.branch}, {@code mlflow.source.name}, {@code
 * mlflow.user}), qmon's ({@code qmon.source.git.dirty}, {@code qmon.host}, {@code qmon.language},
 * {@code qmon.java.version}, {@code qmon.lib.qmon}), and the attachment {@value #ENVIRONMENT_FILE}:
 * the Java runtime and the classpath's jars with their versions. The same names as the Python SDK's
 * {@code qmon_sdk.reproducibility}. No environment variable is read (beyond the {@value
 * #CAPTURE_ENV} switch), so no secret can end up in a run.
 */
public final class RunEnvironment {
  private static final Logger LOG = LoggerFactory.getLogger(RunEnvironment.class);

  /** {@code QMON_CAPTURE_ENV=0} (or false/no/off) turns the capture off. */
  public static final String CAPTURE_ENV = "QMON_CAPTURE_ENV";

  /** Attachment names; the MLflow sink writes them as {@code run/<name>}. */
  public static final String ENVIRONMENT_FILE = "environment.txt";

  public static final String CIRCUIT_FILE = "circuit.qasm";

  /** How long one git call may take before the git tags are left out. */
  static final long GIT_TIMEOUT_MS = 2_000;

  /**
   * How long a directory's git tags are reused: three git processes per run made a process that
   * starts a thousand runs spend over a minute in git (ClusterFailoverIT's state-size test); a
   * commit or an edit is still seen by runs started seconds later.
   */
  static final long GIT_REUSE_NANOS = TimeUnit.SECONDS.toNanos(10);

  private record GitSnapshot(Map<String, String> tags, long takenNanos) {}

  private static final Map<Path, GitSnapshot> GIT_SNAPSHOTS = new ConcurrentHashMap<>();

  /** {@code name-1.2.3.jar}: the name, then the version from the first "-digit". */
  private static final Pattern JAR = Pattern.compile("(.+?)-(\\d[^/]*)\\.jar");

  private static volatile String environmentText;
  private static volatile String qmonVersion;

  private RunEnvironment() {}

  /** Whether {@value #CAPTURE_ENV} in {@code env} leaves the capture on (the default). */
  public static boolean enabled(Map<String, String> env) {
    String value = env.getOrDefault(CAPTURE_ENV, "1").strip().toLowerCase(Locale.ROOT);
    return !List.of("0", "false", "no", "off").contains(value);
  }

  /** The tags of this process, git asked in the working directory ({@code user.dir}). */
  public static Map<String, String> tags() {
    return tags(Path.of(System.getProperty("user.dir")), sourceName());
  }

  /**
   * The tags of this process with git asked in {@code directory}; the git tags are absent outside a
   * repository, without git, or when git does not answer within {@value #GIT_TIMEOUT_MS} ms.
   */
  static Map<String, String> tags(Path directory, String sourceName) {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("qmon.language", "java");
    tags.put("qmon.java.version", System.getProperty("java.version"));
    tags.put("mlflow.source.type", "LOCAL");
    String user = System.getProperty("user.name");
    if (user != null && !user.isBlank()) {
      tags.put("mlflow.user", user);
    }
    String host = hostName();
    if (host != null) {
      tags.put("qmon.host", host);
    }
    if (sourceName != null && !sourceName.isBlank()) {
      tags.put("mlflow.source.name", sourceName);
    }
    tags.putAll(recentGitTags(directory, System::nanoTime));
    String version = qmonVersion();
    if (version != null) {
      tags.put("qmon.lib.qmon", version);
    }
    tags.replaceAll(
        (k, v) ->
            v.length() > InputBounds.MAX_MAP_VALUE_LENGTH
                ? v.substring(0, InputBounds.MAX_MAP_VALUE_LENGTH)
                : v);
    return tags;
  }

  /**
   * {@link #gitTags} of the directory, reused for ten seconds ({@link #GIT_REUSE_NANOS}) after
   * asking.
   */
  static Map<String, String> recentGitTags(Path directory, LongSupplier nanoClock) {
    Path key = directory.toAbsolutePath().normalize();
    long now = nanoClock.getAsLong();
    GitSnapshot snapshot = GIT_SNAPSHOTS.get(key);
    if (snapshot == null || now - snapshot.takenNanos() >= GIT_REUSE_NANOS) {
      snapshot = new GitSnapshot(Map.copyOf(gitTags(key)), now);
      GIT_SNAPSHOTS.put(key, snapshot);
    }
    return snapshot.tags();
  }

  /**
   * {@code mlflow.source.git.commit}, {@code qmon.source.git.dirty} (tracked files changed or
   * staged; untracked ones do not count) and {@code mlflow.source.git.branch} (left out on a
   * detached head) of the repository holding {@code directory}; empty outside one.
   */
  static Map<String, String> gitTags(Path directory) {
    Map<String, String> tags = new LinkedHashMap<>();
    String commit = git(directory, "rev-parse", "HEAD");
    if (commit == null || commit.isEmpty()) {
      return tags;
    }
    tags.put("mlflow.source.git.commit", commit);
    String status = git(directory, "status", "--porcelain", "--untracked-files=no");
    if (status != null) {
      tags.put("qmon.source.git.dirty", Boolean.toString(!status.isEmpty()));
    }
    String branch = git(directory, "rev-parse", "--abbrev-ref", "HEAD");
    if (branch != null && !branch.isEmpty() && !branch.equals("HEAD")) {
      tags.put("mlflow.source.git.branch", branch);
    }
    return tags;
  }

  /**
   * The Java runtime (vendor, version, VM, OS) in comment lines, then one line per classpath jar,
   * {@code name==version} when the file name carries a version, sorted by name. Computed once per
   * process: the classpath does not change.
   */
  public static String environmentText() {
    String text = environmentText;
    if (text == null) {
      text = environmentText(System.getProperty("java.class.path", ""));
      environmentText = text;
    }
    return text;
  }

  static String environmentText(String classPath) {
    StringBuilder out = new StringBuilder();
    out.append("# java.vendor=").append(System.getProperty("java.vendor")).append('\n');
    out.append("# java.version=").append(System.getProperty("java.version")).append('\n');
    out.append("# java.vm.name=").append(System.getProperty("java.vm.name")).append('\n');
    out.append("# java.vm.version=").append(System.getProperty("java.vm.version")).append('\n');
    out.append("# os=")
        .append(System.getProperty("os.name"))
        .append(' ')
        .append(System.getProperty("os.version"))
        .append(' ')
        .append(System.getProperty("os.arch"))
        .append('\n');
    out.append("# classpath jars:\n");
    Map<String, String> jars = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (String entry : withManifestClassPaths(classPath)) {
      Path path = Path.of(entry.isEmpty() ? "." : entry).getFileName();
      String file = path == null ? "" : path.toString();
      if (!file.endsWith(".jar")) {
        continue;
      }
      Matcher m = JAR.matcher(file);
      if (m.matches()) {
        jars.putIfAbsent(m.group(1), m.group(1) + "==" + m.group(2));
      } else {
        String name = file.substring(0, file.length() - ".jar".length());
        jars.putIfAbsent(name, name);
      }
    }
    jars.values().forEach(line -> out.append(line).append('\n'));
    return out.toString();
  }

  /**
   * The classpath's entries, each jar followed by the entries of its manifest's {@code Class-Path}
   * (a launcher jar such as {@code java -jar app.jar}, or a test runner's booter jar, names the
   * real classpath there).
   */
  private static List<String> withManifestClassPaths(String classPath) {
    List<String> entries = new ArrayList<>();
    for (String entry : classPath.split(java.io.File.pathSeparator)) {
      entries.add(entry);
      if (!entry.endsWith(".jar") || !Files.isRegularFile(Path.of(entry))) {
        continue;
      }
      try (JarFile jar = new JarFile(entry)) {
        Manifest manifest = jar.getManifest();
        String more =
            manifest == null
                ? null
                : manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
        if (more != null) {
          // Class-Path entries are space-separated URLs relative to the jar; only names matter.
          for (String url : more.trim().split("\\s+")) {
            entries.add(url.substring(url.lastIndexOf('/') + 1));
          }
        }
      } catch (IOException e) {
        LOG.debug("Cannot read the manifest of {}: {}", entry, e.getMessage());
      }
    }
    return entries;
  }

  /** The main class or jar this JVM was started with, as the JDK's launcher records it. */
  static String sourceName() {
    String command = System.getProperty("sun.java.command");
    if (command == null || command.isBlank()) {
      return null;
    }
    int space = command.indexOf(' ');
    return space < 0 ? command : command.substring(0, space);
  }

  /** qmon's version, from the properties Maven writes into the SDK's jar. */
  /** The SDK's version, read from its jar once per process (an absent file reads as ""). */
  static String qmonVersion() {
    String version = qmonVersion;
    if (version == null) {
      version = readQmonVersion();
      qmonVersion = version == null ? "" : version;
    }
    return version == null || version.isEmpty() ? null : version;
  }

  private static String readQmonVersion() {
    try (InputStream in = RunEnvironment.class.getResourceAsStream("qmon-sdk.properties")) {
      if (in == null) {
        return null;
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException("Reading qmon-sdk.properties of the SDK failed", e);
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      LOG.debug("No host name for qmon.host: {}", e.getMessage());
      return null;
    }
  }

  /** One git call's trimmed output, or null (no git, not a repository, too slow). */
  static String git(Path directory, String... args) {
    List<String> command = new ArrayList<>();
    command.add("git");
    Collections.addAll(command, args);
    Path output = null;
    try {
      // Output to a file, not a pipe: a large status of a dirty repository would fill the pipe
      // and block git until the timeout while nothing reads it.
      output = Files.createTempFile("qmon-git", ".out");
      Process process =
          new ProcessBuilder(command)
              .directory(directory.toFile())
              .redirectErrorStream(false)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .redirectOutput(output.toFile())
              .start();
      if (!process.waitFor(GIT_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        LOG.debug("git {} in {} took over {} ms; no git tags", args, directory, GIT_TIMEOUT_MS);
        return null;
      }
      if (process.exitValue() != 0) {
        return null;
      }
      return Files.readString(output, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      LOG.debug("git {} in {} failed: {}; no git tags", args, directory, e.getMessage());
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } finally {
      if (output != null) {
        try {
          Files.deleteIfExists(output);
        } catch (IOException e) {
          LOG.debug("Could not delete {}: {}", output, e.getMessage());
        }
      }
    }
  }
}

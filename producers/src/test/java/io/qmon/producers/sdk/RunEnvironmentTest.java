package io.qmon.producers.sdk;

import static java.util.stream.Collectors.joining;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qmon.schemas.RunStarted;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Git state read from a real temporary repository; versions and classpath from this JVM. */
class RunEnvironmentTest {
  @TempDir Path dir;

  /** Runs git in the test's repository; the reference values come from other commands. */
  private String git(String... args) throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of("git", "-c", "user.name=qmon-test", "-c", "user.email=t@example.invalid"));
    command.addAll(List.of(args));
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + out);
    return out;
  }

  private void commitedRepository() throws Exception {
    git("init", "-q", "-b", "exp-branch");
    Files.writeString(dir.resolve("Train.java"), "class Train {}\n");
    git("add", "Train.java");
    git("commit", "-q", "-m", "first");
  }

  @Test
  void shouldTagTheCommitAndBranchOfACleanRepository() throws Exception {
    commitedRepository();
    Map<String, String> tags = RunEnvironment.gitTags(dir);
    assertEquals(git("log", "-1", "--format=%H"), tags.get("mlflow.source.git.commit"));
    assertEquals(40, tags.get("mlflow.source.git.commit").length());
    assertEquals("false", tags.get("qmon.source.git.dirty"));
    assertEquals("exp-branch", tags.get("mlflow.source.git.branch"));
  }

  @Test
  void shouldCallTheRunDirtyWhenATrackedFileChangedButNotForAnUntrackedOne() throws Exception {
    commitedRepository();
    Files.writeString(dir.resolve("notes.txt"), "untracked\n");
    assertEquals("false", RunEnvironment.gitTags(dir).get("qmon.source.git.dirty"));
    Files.writeString(dir.resolve("Train.java"), "class Train { int changed; }\n");
    assertEquals("true", RunEnvironment.gitTags(dir).get("qmon.source.git.dirty"));
  }

  @Test
  void shouldReuseADirectorysGitTagsForSecondsAndThenAskAgain() throws Exception {
    commitedRepository();
    long[] now = {1_000_000_000L};
    String first = git("log", "-1", "--format=%H");
    assertEquals(
        first, RunEnvironment.recentGitTags(dir, () -> now[0]).get("mlflow.source.git.commit"));
    Files.writeString(dir.resolve("Train.java"), "class Train { int second; }\n");
    git("commit", "-q", "-am", "second");
    String second = git("log", "-1", "--format=%H");
    now[0] += RunEnvironment.GIT_REUSE_NANOS - 1;
    assertEquals(
        first,
        RunEnvironment.recentGitTags(dir, () -> now[0]).get("mlflow.source.git.commit"),
        "runs started back to back share one answer of git");
    now[0] += 1;
    assertEquals(
        second,
        RunEnvironment.recentGitTags(dir, () -> now[0]).get("mlflow.source.git.commit"),
        "a commit is seen once the reuse period is over");
  }

  @Test
  void shouldLeaveTheBranchOutOnADetachedHead() throws Exception {
    commitedRepository();
    git("checkout", "-q", "--detach");
    Map<String, String> tags = RunEnvironment.gitTags(dir);
    assertEquals(git("log", "-1", "--format=%H"), tags.get("mlflow.source.git.commit"));
    assertNull(tags.get("mlflow.source.git.branch"));
  }

  @Test
  void shouldHaveNoGitTagsOutsideARepositoryAndStillTheRest() {
    Map<String, String> tags = RunEnvironment.tags(dir, "io.example.Train");
    assertTrue(tags.keySet().stream().noneMatch(k -> k.contains(".git.")), tags.toString());
    assertEquals("java", tags.get("qmon.language"));
    assertEquals(
        Runtime.version().version().stream().map(String::valueOf).collect(joining(".")),
        tags.get("qmon.java.version"));
    assertEquals("io.example.Train", tags.get("mlflow.source.name"));
    assertEquals(System.getProperty("user.name"), tags.get("mlflow.user"));
  }

  @Test
  void shouldListTheRuntimeAndEveryClasspathJarWithItsVersion() {
    String classPath =
        String.join(
            File.pathSeparator,
            "/m2/org/apache/kafka/kafka-clients/4.2.0/kafka-clients-4.2.0.jar",
            "/m2/org/apache/flink/flink-connector-kafka/5.0.0-2.2/flink-connector-kafka-5.0.0-2.2.jar",
            "/work/qmon/producers/target/classes",
            "/lib/Avro-1.12.2.jar",
            "/lib/unversioned.jar");
    String text = RunEnvironment.environmentText(classPath);
    List<String> lines = text.lines().toList();
    assertEquals("# java.vendor=" + System.getProperty("java.vendor"), lines.get(0));
    assertEquals("# java.version=" + System.getProperty("java.version"), lines.get(1));
    assertEquals(
        List.of(
            "Avro==1.12.2",
            "flink-connector-kafka==5.0.0-2.2",
            "kafka-clients==4.2.0",
            "unversioned"),
        lines.stream().filter(l -> !l.startsWith("#")).toList());
  }

  @Test
  void shouldFollowTheClassPathOfALauncherJarsManifest() throws Exception {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest
        .getMainAttributes()
        .put(
            Attributes.Name.CLASS_PATH,
            "file:/m2/org/slf4j/slf4j-api-2.0.17.jar lib/commons-math3-3.6.1.jar");
    Path launcher = dir.resolve("launcher.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(launcher), manifest)) {
      out.flush();
    }
    assertEquals(
        List.of("commons-math3==3.6.1", "launcher", "slf4j-api==2.0.17"),
        RunEnvironment.environmentText(launcher.toString())
            .lines()
            .filter(l -> !l.startsWith("#"))
            .toList());
  }

  @Test
  void shouldListThisJvmsOwnClasspath() {
    String text = RunEnvironment.environmentText();
    // JUnit runs this test from a jar named with its version: an independent fact of the JVM.
    String junitJar =
        Path.of(Test.class.getProtectionDomain().getCodeSource().getLocation().getPath())
            .getFileName()
            .toString();
    String expected = junitJar.replace(".jar", "").replaceFirst("-(\\d)", "==$1");
    assertTrue(text.lines().anyMatch(expected::equals), expected + " in\n" + text);
  }

  @Test
  void shouldReadTheSwitchLikeThePythonSdk() {
    assertTrue(RunEnvironment.enabled(Map.of()));
    assertTrue(RunEnvironment.enabled(Map.of("QMON_CAPTURE_ENV", "1")));
    for (String off : List.of("0", "false", "No", " off ")) {
      assertFalse(RunEnvironment.enabled(Map.of("QMON_CAPTURE_ENV", off)), off);
    }
  }

  @Test
  void shouldStartARunWithTheEnvironmentAndTheCircuitUnderTheSpecsOwnTags() {
    RunStarted started =
        publisher(true)
            .startRun(
                RunSpec.builder("r")
                    .qubits(2)
                    .shots(10)
                    .target("t")
                    .tag("mlflow.user", "ada")
                    .circuit("OPENQASM 3.0;\nqubit[2] q;\n")
                    .build())
            .started();
    assertEquals("ada", started.getTags().get("mlflow.user"), "the spec's tags win");
    assertEquals("java", started.getTags().get("qmon.language"));
    assertEquals(RunEnvironment.environmentText(), started.getAttachments().get("environment.txt"));
    assertEquals("OPENQASM 3.0;\nqubit[2] q;\n", started.getAttachments().get("circuit.qasm"));
  }

  @Test
  void shouldSendOnlyWhatTheSpecSaysWhenTheCaptureIsOff() {
    RunStarted bySpec =
        publisher(true)
            .startRun(
                RunSpec.builder("a")
                    .qubits(2)
                    .shots(10)
                    .target("t")
                    .captureEnvironment(false)
                    .circuit("OPENQASM 2.0;")
                    .build())
            .started();
    assertEquals(Map.of(), bySpec.getTags());
    assertEquals(Map.of("circuit.qasm", "OPENQASM 2.0;"), bySpec.getAttachments());
    RunStarted byPublisher =
        publisher(false)
            .startRun(RunSpec.builder("b").qubits(2).shots(10).target("t").build())
            .started();
    assertEquals(Map.of(), byPublisher.getTags());
    assertEquals(Map.of(), byPublisher.getAttachments());
  }

  @Test
  void shouldRefuseAnAttachmentNameThatLeavesItsFolder() {
    InvalidEventException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            InvalidEventException.class,
            () ->
                publisher(true)
                    .startRun(
                        RunSpec.builder("r")
                            .qubits(2)
                            .shots(10)
                            .target("t")
                            .attachment("../x.txt", "x")
                            .build()));
    assertEquals("attachments[../x.txt]", e.field());
  }

  private static QmonPublisher publisher(boolean capture) {
    QmonPublisher publisher =
        new QmonPublisher(
            new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer()),
            new RunPublisherTest.FixedIdRegistry(),
            "p",
            null);
    publisher.captureEnvironment(capture);
    return publisher;
  }
}

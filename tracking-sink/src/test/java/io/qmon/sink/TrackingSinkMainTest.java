package io.qmon.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TrackingSinkMainTest {
  @Test
  void shouldAnswerHelpWithEveryKeyItsVariableAndNoSecretFromTheEnvironment() {
    StringWriter out = new StringWriter();
    CommandLine line =
        TrackingSinkMain.commandLine(
            Map.of("QMON_MLFLOW_TRACKING_PASSWORD", "hunter2", "QMON_PROMETHEUS_PORT", "9999"));
    line.setOut(new PrintWriter(out));
    assertEquals(0, line.execute("--help"));
    String help = out.toString();
    assertTrue(help.startsWith("Usage: qmon-sink"), help);
    for (String key : new String[] {"kafka.bootstrap-servers", "mlflow.writer-threads", "sinks"}) {
      assertTrue(help.contains("--" + key), key + " in\n" + help);
    }
    assertTrue(help.contains("QMON_KAFKA_BOOTSTRAP_SERVERS"), help);
    assertTrue(help.contains("QMON_MLFLOW_TRACKING_PASSWORD"), help);
    assertFalse(help.contains("hunter2"), help);
    assertTrue(help.contains("Default: 9999"), "the environment's value is the default:\n" + help);
  }

  @Test
  void shouldLetOptionsBeatTheEnvironmentWhichBeatsTheFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("sink.properties");
    Files.writeString(
        file,
        "kafka.bootstrap-servers=file:1\nschema-registry.url=http://file\nprometheus.port=1111\n"
            + "mlflow.writer-threads=3\nkafka.group-id-prefix=from-file\n");
    Map<String, String> env =
        Map.of(
            "QMON_PROMETHEUS_PORT", "2222",
            "QMON_MLFLOW_WRITER_THREADS", "5",
            "QMON_SINK_SINKS", "prometheus");
    TrackingSinkConfig config =
        TrackingSinkMain.parse(
            new String[] {
              "--config", file.toString(), "--mlflow.writer-threads", "7", "prometheus.host=::1"
            },
            env);
    assertEquals("file:1", config.get(TrackingSinkConfig.BOOTSTRAP_SERVERS));
    assertEquals("from-file", config.get(TrackingSinkConfig.GROUP_ID_PREFIX));
    assertEquals(2222, config.get(TrackingSinkConfig.PROMETHEUS_PORT));
    assertEquals(7, config.get(TrackingSinkConfig.MLFLOW_WRITER_THREADS));
    assertEquals(java.util.List.of("prometheus"), config.get(TrackingSinkConfig.SINKS));
    assertEquals("::1", config.get(TrackingSinkConfig.PROMETHEUS_HOST));
    assertEquals(
        1000,
        config.get(TrackingSinkConfig.MLFLOW_BATCH_MAX_METRICS),
        "a key set nowhere keeps its default");
  }

  @Test
  void shouldRefuseAnUnknownSettingWithStatusTwo() {
    StringWriter err = new StringWriter();
    CommandLine line = TrackingSinkMain.commandLine(Map.of());
    line.setErr(new PrintWriter(err));
    assertEquals(
        2,
        line.execute(
            "kafka.bootstrap-servers=k:1", "schema-registry.url=http://r", "prometheus.prot=1"));
    assertTrue(err.toString().contains("Unknown setting 'prometheus.prot'"), err.toString());
    assertEquals(2, line.execute("--prometheus.prot", "1"));
    assertTrue(err.toString().contains("--prometheus.port"), "suggests the option:\n" + err);
  }
}

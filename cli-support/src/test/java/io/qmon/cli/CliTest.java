package io.qmon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

class CliTest {
  @Command(name = "qmon", mixinStandardHelpOptions = true, versionProvider = QmonVersion.class)
  static final class Root implements Callable<Integer> {
    @Override
    public Integer call() {
      return 0;
    }
  }

  @Command(name = "demo", mixinStandardHelpOptions = true, description = "A demo.")
  static final class Demo implements Callable<Integer> {
    @Option(names = "--runs", defaultValue = "4", description = "Runs at once.")
    int runs;

    @Option(names = "--kafka.bootstrap-servers", description = "Kafka bootstrap servers.")
    String bootstrapServers;

    @Option(names = "--job", description = "Job setting, repeatable.")
    Map<String, String> job;

    @Override
    public Integer call() {
      if (runs < 1) {
        throw new IllegalArgumentException("--runs must be >= 1, got " + runs);
      }
      return 0;
    }
  }

  private static CommandLine qmon(Map<String, String> env, Demo demo) {
    return Cli.commandLine(new CommandLine(new Root()).addSubcommand(demo), env);
  }

  @Test
  void shouldNameVariablesAfterConfigurationKeysOrCommandAndOption() {
    CommandLine line = qmon(Map.of(), new Demo());
    CommandLine.Model.CommandSpec demo = line.getSubcommands().get("demo").getCommandSpec();
    assertEquals(
        "QMON_DEMO_RUNS", EnvironmentDefaults.variable(demo.findOption("--runs")).orElseThrow());
    assertEquals(
        "QMON_KAFKA_BOOTSTRAP_SERVERS",
        EnvironmentDefaults.variable(demo.findOption("--kafka.bootstrap-servers")).orElseThrow());
    assertTrue(EnvironmentDefaults.variable(demo.findOption("--job")).isEmpty());
    assertTrue(EnvironmentDefaults.variable(demo.findOption("--help")).isEmpty());
    CommandLine sink = Cli.commandLine(new CommandLine(new Demo()).setCommandName("qmon-sink"));
    assertEquals(
        "QMON_SINK_RUNS",
        EnvironmentDefaults.variable(sink.getCommandSpec().findOption("--runs")).orElseThrow());
  }

  @Test
  void shouldTakeTheEnvironmentWhenTheOptionIsMissingAndTheCommandLineOverIt() {
    Map<String, String> env =
        Map.of("QMON_DEMO_RUNS", "7", "QMON_KAFKA_BOOTSTRAP_SERVERS", "b:9092");
    Demo fromEnv = new Demo();
    assertEquals(0, qmon(env, fromEnv).execute("demo"));
    assertEquals(7, fromEnv.runs);
    assertEquals("b:9092", fromEnv.bootstrapServers);
    Demo fromArgs = new Demo();
    assertEquals(0, qmon(env, fromArgs).execute("demo", "--runs", "2"));
    assertEquals(2, fromArgs.runs);
    Demo defaults = new Demo();
    assertEquals(0, qmon(Map.of(), defaults).execute("demo"));
    assertEquals(4, defaults.runs);
  }

  @Test
  void shouldListTheVariablesInTheUsageHelp() {
    StringWriter out = new StringWriter();
    CommandLine line = qmon(Map.of(), new Demo());
    line.setOut(new PrintWriter(out));
    assertEquals(0, line.execute("demo", "--help"));
    String help = out.toString();
    assertTrue(help.contains("Usage: qmon demo"), help);
    assertTrue(help.contains("Environment variables"), help);
    assertTrue(help.contains("QMON_DEMO_RUNS"), help);
  }

  @Test
  void shouldExplainBadInputWithStatusTwo() {
    StringWriter err = new StringWriter();
    CommandLine line = qmon(Map.of(), new Demo());
    line.setErr(new PrintWriter(err));
    assertEquals(Cli.USAGE_ERROR, line.execute("demo", "--runs", "0"));
    assertTrue(err.toString().contains("qmon demo: --runs must be >= 1, got 0"), err.toString());
    assertTrue(err.toString().contains("See 'qmon demo --help'."), err.toString());
    assertEquals(Cli.USAGE_ERROR, line.execute("demo", "--rns", "1"));
    assertTrue(err.toString().contains("Unknown option"), err.toString());
  }

  @Test
  void shouldPrintTheProjectVersion() {
    StringWriter out = new StringWriter();
    CommandLine line = qmon(Map.of(), new Demo());
    line.setOut(new PrintWriter(out));
    assertEquals(0, line.execute("--version"));
    assertTrue(out.toString().startsWith("qmon " + QmonVersion.projectVersion()), out.toString());
    assertTrue(QmonVersion.projectVersion().matches("\\d+\\.\\d+\\.\\d+.*"));
  }

  @Test
  void shouldRenderAReferenceTablePerCommand() {
    String markdown = CliReference.markdown(qmon(Map.of(), new Demo()));
    assertTrue(markdown.contains("#### `qmon demo`"), markdown);
    assertTrue(
        markdown.contains("| `--runs <runs>` | `QMON_DEMO_RUNS` | `4` | Runs at once. |"),
        markdown);
    assertEquals(
        List.of("#### `qmon`", "#### `qmon demo`"),
        markdown.lines().filter(l -> l.startsWith("####")).toList());
  }
}

package io.qmon.sink;

import io.qmon.cli.Cli;
import io.qmon.cli.EnvironmentDefaults;
import io.qmon.cli.QmonVersion;
import io.qmon.schemas.config.Redaction;
import io.qmon.schemas.serde.RestSchemaRegistry;
import io.qmon.schemas.serde.SchemaRegistry;
import io.qmon.sink.alerts.AlertNotifier;
import io.qmon.sink.alerts.NotifierMetrics;
import io.qmon.sink.mlflow.MlflowSink;
import io.qmon.sink.mlflow.MlflowSinkMetrics;
import io.qmon.sink.prometheus.PrometheusSink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParseResult;

/**
 * Runs the chosen sinks against a cluster until terminated, or until one of them dies: then it
 * closes the others and exits with status {@value SinkSupervisor#EXIT_SINK_DIED}, so a supervisor
 * (systemd, Kubernetes) restarts the process instead of leaving a half-working sink running.
 *
 * <p>Every key of {@link TrackingSinkConfig} is an option {@code --<key> <value>} and an
 * environment variable ({@link EnvironmentDefaults}: {@code QMON_KAFKA_BOOTSTRAP_SERVERS}); {@code
 * key=value} arguments and {@code --config file.properties} keep working. Precedence, lowest first:
 * defaults, the file, environment variables, options, {@code key=value} arguments.
 */
@Command(
    name = "qmon-sink",
    mixinStandardHelpOptions = true,
    versionProvider = QmonVersion.class,
    sortOptions = false,
    description = {
      "Runs the tracking sinks (Prometheus exporter, MLflow writer, alert notifier) against a"
          + " cluster until terminated; exits with status 70 when a sink dies so a supervisor"
          + " restarts it.",
      "Settings, lowest precedence first: defaults, --config file, QMON_* environment variables,"
          + " --<key> options, key=value arguments."
    })
public final class TrackingSinkMain implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(TrackingSinkMain.class);

  @Option(
      names = "--config",
      paramLabel = "<file>",
      description = "A Java properties file of settings (the keys below).")
  Path configFile;

  @Parameters(
      paramLabel = "<key=value>",
      arity = "0..*",
      description =
          "Settings as key=value, applied last: any key below, and"
              + " kafka.properties.<kafka key>=<value> for Kafka client properties (security).")
  List<String> settings = new ArrayList<>();

  @CommandLine.Spec CommandSpec spec;

  private final Map<String, String> environment;

  private TrackingSinkMain(Map<String, String> environment) {
    this.environment = environment;
  }

  public static void main(String[] args) {
    int code = commandLine(System.getenv()).execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  /** The sink's command line: one option per {@link TrackingSinkConfig} key. */
  public static CommandLine commandLine(Map<String, String> environment) {
    CommandLine line = new CommandLine(new TrackingSinkMain(environment));
    for (ConfigOption<?> option : TrackingSinkConfig.OPTIONS) {
      boolean secret = Redaction.isSecretKey(option.key());
      line.getCommandSpec()
          .addOption(
              OptionSpec.builder("--" + option.key())
                  .type(String.class)
                  .paramLabel(label(option.defaultValue()))
                  .defaultValue(display(option.defaultValue()))
                  // A secret's value may come from the environment: never print it as a default.
                  .showDefaultValue(secret ? Visibility.NEVER : Visibility.ON_DEMAND)
                  .description(option.description())
                  .build());
    }
    line.getCommandSpec().usageMessage().showDefaultValues(true);
    return Cli.commandLine(line, environment);
  }

  @Override
  public Integer call() throws Exception {
    TrackingSinkConfig config = config(spec.commandLine().getParseResult());
    LOG.info("Starting with {}", config);
    SinkSupervisor supervisor = new SinkSupervisor();
    Runtime.getRuntime().addShutdownHook(new Thread(supervisor::requestStop, "qmon-sink-shutdown"));
    try {
      start(config, supervisor);
    } catch (RuntimeException e) {
      // Sinks started before the failure run non-daemon threads: end them too, and the process.
      supervisor.fatal("startup", e);
    }
    return supervisor.awaitExit();
  }

  /**
   * Starts the sinks the config names under the supervisor; returns the scrape endpoint's {@code
   * host:port} when the Prometheus exporter runs.
   */
  public static Optional<String> start(TrackingSinkConfig config, SinkSupervisor supervisor) {
    return start(config, supervisor, supervisor::add);
  }

  /**
   * Starts the sinks the config names, telling {@code onFatal} when one dies and handing each
   * started sink to {@code started} (which closes them); for embedders such as {@code qmon stack}.
   */
  public static Optional<String> start(
      TrackingSinkConfig config,
      FatalErrorHandler onFatal,
      java.util.function.Consumer<AutoCloseable> started) {
    SchemaRegistry registry =
        new RestSchemaRegistry(config.get(TrackingSinkConfig.SCHEMA_REGISTRY_URL));
    List<String> sinks = config.get(TrackingSinkConfig.SINKS);
    PrometheusSink prometheus = null;
    if (sinks.contains("prometheus")) {
      prometheus = PrometheusSink.start(config, registry, onFatal);
      LOG.info("Prometheus endpoint on http://{}/metrics", prometheus.scrapeTarget());
      started.accept(prometheus);
    }
    MlflowSink mlflow = null;
    if (sinks.contains("mlflow")) {
      mlflow = MlflowSink.start(config, registry, onFatal);
      started.accept(mlflow);
      if (prometheus != null) {
        MlflowSinkMetrics.register(mlflow, prometheus.exporter().registry());
      }
    }
    if (sinks.contains("alerts")) {
      // With the MLflow writer in this process, alerts link their run's page, not a search.
      Function<String, Optional<String>> runPages =
          mlflow == null ? runId -> Optional.empty() : mlflow::runPage;
      AlertNotifier notifier = AlertNotifier.start(config, registry, onFatal, runPages);
      started.accept(notifier);
      if (prometheus != null) {
        NotifierMetrics.register(notifier, prometheus.exporter().registry());
      }
      LOG.info("Alert notifier started");
    }
    return Optional.ofNullable(prometheus).map(PrometheusSink::scrapeTarget);
  }

  /** The settings of a command line, with {@code QMON_*} variables from this process. */
  static TrackingSinkConfig parse(String[] args) throws java.io.IOException {
    return parse(args, System.getenv());
  }

  static TrackingSinkConfig parse(String[] args, Map<String, String> environment)
      throws java.io.IOException {
    CommandLine line = commandLine(environment);
    ParseResult parsed = line.parseArgs(args);
    return ((TrackingSinkMain) line.getCommand()).config(parsed);
  }

  private TrackingSinkConfig config(ParseResult parsed) throws java.io.IOException {
    Map<String, String> overrides = new HashMap<>();
    for (ConfigOption<?> option : TrackingSinkConfig.OPTIONS) {
      OptionSpec spec = parsed.commandSpec().findOption("--" + option.key());
      if (parsed.hasMatchedOption(spec)) {
        overrides.put(option.key(), parsed.matchedOptionValue(spec.longestName(), ""));
      } else {
        EnvironmentDefaults.variable(spec)
            .map(environment::get)
            .ifPresent(value -> overrides.put(option.key(), value));
      }
    }
    for (String setting : settings) {
      int eq = setting.indexOf('=');
      if (eq < 1) {
        throw new IllegalArgumentException(
            "Unexpected argument '" + setting + "': settings look like key=value");
      }
      overrides.put(setting.substring(0, eq), setting.substring(eq + 1));
    }
    return TrackingSinkConfig.load(configFile, overrides);
  }

  private static String label(Object defaultValue) {
    if (defaultValue instanceof Integer) {
      return "<n>";
    }
    if (defaultValue instanceof Duration) {
      return "<duration>";
    }
    if (defaultValue instanceof List) {
      return "<a,b,...>";
    }
    return "<value>";
  }

  private static String display(Object defaultValue) {
    if (defaultValue instanceof List<?> list) {
      return String.join(",", list.stream().map(String::valueOf).toList());
    }
    return defaultValue == null ? null : defaultValue.toString();
  }
}

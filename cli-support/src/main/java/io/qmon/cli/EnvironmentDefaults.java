package io.qmon.cli;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Reads option values from {@code QMON_*} environment variables when the command line leaves them
 * out. One rule names every variable:
 *
 * <ul>
 *   <li>an option named after a configuration key (its name holds a dot, e.g. {@code
 *       --kafka.bootstrap-servers}) reads {@code QMON_<KEY>}: {@code QMON_KAFKA_BOOTSTRAP_SERVERS},
 *       the variable the monitoring job reads for the same key;
 *   <li>any other option reads {@code QMON_<COMMAND>_<OPTION>}, e.g. {@code --runs} of {@code qmon
 *       demo} reads {@code QMON_DEMO_RUNS} (a leading {@code qmon-} of a program name is dropped:
 *       {@code --config} of {@code qmon-sink} reads {@code QMON_SINK_CONFIG}).
 * </ul>
 *
 * Upper case, {@code .} and {@code -} become {@code _}. Help and version options, and options that
 * take several values ({@code --job key=value}, repeatable), have no variable.
 */
public final class EnvironmentDefaults implements IDefaultValueProvider {
  private final Map<String, String> environment;

  public EnvironmentDefaults(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  @Override
  public String defaultValue(ArgSpec argument) {
    if (argument instanceof OptionSpec option) {
      return variable(option).map(environment::get).orElse(null);
    }
    return null;
  }

  /** The environment variable of an option, if it has one. */
  public static Optional<String> variable(OptionSpec option) {
    if (option.usageHelp() || option.versionHelp() || option.isMultiValue()) {
      return Optional.empty();
    }
    String name = option.longestName().replaceFirst("^-+", "");
    if (name.contains(".")) {
      return Optional.of("QMON_" + normalise(name));
    }
    String command = commandPath(option.command());
    return Optional.of("QMON_" + (command.isEmpty() ? "" : command + "_") + normalise(name));
  }

  /** The command's path below {@code qmon} ({@code demo}, {@code sink}, {@code sink_bench}). */
  private static String commandPath(CommandSpec command) {
    if (command == null) {
      return "";
    }
    String own = command.name().replaceFirst("^qmon-?", "");
    String parent = command.parent() == null ? "" : commandPath(command.parent());
    if (own.isEmpty()) {
      return parent;
    }
    return parent.isEmpty() ? normalise(own) : parent + "_" + normalise(own);
  }

  private static String normalise(String name) {
    return name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }
}

package io.qmon.cli;

import io.qmon.schemas.config.Redaction;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Builds the picocli command line of a qmon program the same way everywhere: option values from
 * {@code QMON_*} variables ({@link EnvironmentDefaults}), an "Environment variables" section in
 * every usage help, and errors a user can act on (the message and where to find help, exit status 2
 * for bad input; a failure while running prints its cause, status 1). Secrets in URLs are redacted
 * from every message.
 */
public final class Cli {
  /** Exit status of a bad command line or a refused setting. */
  public static final int USAGE_ERROR = 2;

  /** Exit status of a command that failed while running. */
  public static final int FAILED = 1;

  static final String ENVIRONMENT_SECTION = "qmonEnvironment";

  private Cli() {}

  /**
   * Parses {@code args} into {@code arguments} (a picocli {@code @Command} object) outside a
   * command tree, for callers that take a plain {@code String[]}; a bad option becomes an {@link
   * IllegalArgumentException} with picocli's message.
   */
  public static <T> T parse(T arguments, String[] args) {
    try {
      commandLine(arguments).parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    return arguments;
  }

  /** The command line of {@code command}, reading this process's environment. */
  public static CommandLine commandLine(Object command) {
    return commandLine(command, System.getenv());
  }

  /** The command line of {@code command}, reading option defaults from {@code environment}. */
  public static CommandLine commandLine(Object command, Map<String, String> environment) {
    CommandLine line = command instanceof CommandLine given ? given : new CommandLine(command);
    configure(line, new EnvironmentDefaults(environment));
    return line;
  }

  private static void configure(CommandLine line, EnvironmentDefaults defaults) {
    line.setDefaultValueProvider(defaults);
    if (line.getCommandSpec().versionProvider() == null) {
      // Picocli does not hand the version down to subcommands.
      line.getCommandSpec().versionProvider(new QmonVersion());
    }
    line.setCaseInsensitiveEnumValuesAllowed(true);
    line.setParameterExceptionHandler(Cli::badCommandLine);
    line.setExecutionExceptionHandler(
        (e, failed, parsed) -> {
          String program = failed.getCommandSpec().qualifiedName();
          if (e instanceof IllegalArgumentException) {
            failed.getErr().println(program + ": " + Redaction.urls(e.getMessage()));
            failed.getErr().println(helpHint(failed.getCommandSpec()));
            return USAGE_ERROR;
          }
          failed.getErr().println(program + ": " + Redaction.urls(e.toString()));
          e.printStackTrace(failed.getErr());
          return FAILED;
        });
    // Picocli hands section keys down to subcommands but not the renderers: set both on each.
    line.getHelpSectionMap().put(ENVIRONMENT_SECTION, help -> environmentHelp(help.commandSpec()));
    if (!line.getHelpSectionKeys().contains(ENVIRONMENT_SECTION)) {
      List<String> keys = new ArrayList<>(line.getHelpSectionKeys());
      keys.add(
          keys.indexOf(CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER_HEADING),
          ENVIRONMENT_SECTION);
      line.setHelpSectionKeys(keys);
    }
    line.getSubcommands().values().forEach(sub -> configure(sub, defaults));
  }

  private static int badCommandLine(ParameterException e, String[] args) {
    CommandLine failed = e.getCommandLine();
    PrintWriter err = failed.getErr();
    err.println(failed.getCommandSpec().qualifiedName() + ": " + Redaction.urls(e.getMessage()));
    UnmatchedArgumentException.printSuggestions(e, err);
    err.println(helpHint(failed.getCommandSpec()));
    return USAGE_ERROR;
  }

  private static String helpHint(CommandSpec spec) {
    return "See '" + spec.qualifiedName() + " --help'.";
  }

  /** The "Environment variables" section of a command's usage help; empty when it has none. */
  static String environmentHelp(CommandSpec spec) {
    List<String[]> rows = new ArrayList<>();
    for (OptionSpec option : spec.options()) {
      if (!option.hidden()) {
        EnvironmentDefaults.variable(option)
            .ifPresent(v -> rows.add(new String[] {v, option.longestName()}));
      }
    }
    if (rows.isEmpty()) {
      return "";
    }
    int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
    StringBuilder text =
        new StringBuilder(
            String.format("%nEnvironment variables (used when the option is not given):%n"));
    for (String[] row : rows) {
      text.append(String.format("  %-" + width + "s  %s%n", row[0], row[1]));
    }
    return text.toString();
  }
}

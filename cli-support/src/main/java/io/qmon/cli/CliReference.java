package io.qmon.cli;

import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The README's CLI reference, rendered from the picocli model itself (one table per command:
 * option, environment variable, default, meaning), so a test can fail when the README drifts from
 * what {@code --help} says.
 */
public final class CliReference {
  private CliReference() {}

  /** Markdown for {@code line} and all its subcommands, depth first. */
  public static String markdown(CommandLine line) {
    StringBuilder out = new StringBuilder();
    append(line, out);
    return out.toString();
  }

  private static void append(CommandLine line, StringBuilder out) {
    CommandSpec spec = line.getCommandSpec();
    if (!spec.usageMessage().hidden()) {
      out.append("#### `").append(spec.qualifiedName()).append("`\n\n");
      String description = join(List.of(spec.usageMessage().description()));
      if (!description.isEmpty()) {
        out.append(description).append("\n\n");
      }
      if (!line.getSubcommands().isEmpty()) {
        out.append("| command | what it does |\n| --- | --- |\n");
        line.getSubcommands()
            .forEach(
                (name, sub) ->
                    out.append("| `")
                        .append(name)
                        .append("` | ")
                        .append(join(List.of(sub.getCommandSpec().usageMessage().description())))
                        .append(" |\n"));
        out.append('\n');
      }
      StringBuilder rows = new StringBuilder();
      for (PositionalParamSpec positional : spec.positionalParameters()) {
        if (!positional.hidden()) {
          rows.append(
              row(
                  positional.paramLabel() + (positional.isMultiValue() ? "..." : ""),
                  "",
                  positional.defaultValue(),
                  positional.description()));
        }
      }
      // --help and --version are everywhere; the README says so once.
      for (OptionSpec option : spec.options()) {
        if (option.hidden() || option.usageHelp() || option.versionHelp()) {
          continue;
        }
        String names = String.join(", ", option.names());
        String label = option.typeInfo().isBoolean() ? "" : " " + option.paramLabel();
        rows.append(
            row(
                names + label,
                EnvironmentDefaults.variable(option).orElse(""),
                option.defaultValue(),
                option.description()));
      }
      if (rows.length() > 0) {
        out.append("| option | environment | default | meaning |\n| --- | --- | --- | --- |\n")
            .append(rows)
            .append('\n');
      }
    }
    line.getSubcommands().values().stream().distinct().forEach(sub -> append(sub, out));
  }

  private static String row(String name, String variable, String defaultValue, String[] text) {
    return "| `"
        + name
        + "` | "
        + (variable.isEmpty() ? "" : "`" + variable + "`")
        + " | "
        + (defaultValue == null || defaultValue.isEmpty() ? "" : "`" + portable(defaultValue) + "`")
        + " | "
        + join(List.of(text))
        + " |\n";
  }

  /** Machine-specific parts of a default (the temp directory) written as their property name. */
  private static String portable(String value) {
    String tmp = System.getProperty("java.io.tmpdir").replaceFirst("/$", "");
    return value.replace(tmp, "<java.io.tmpdir>");
  }

  private static String join(List<String> lines) {
    return lines.stream()
        .map(l -> l.replace("%n", " ").trim())
        .filter(l -> !l.isEmpty())
        .collect(Collectors.joining(" "))
        .replace("|", "\\|")
        // Markdown would take <key> for an HTML tag and hide it.
        .replace("<", "&lt;")
        .replace(">", "&gt;");
  }
}

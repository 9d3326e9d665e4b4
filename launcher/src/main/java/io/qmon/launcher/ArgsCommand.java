package io.qmon.launcher;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * A {@code qmon} command whose class reads its own arguments through a {@code run(String[] args)}
 * entry returning an exit status: picocli answers {@code --help} and {@code --version} (from the
 * given description, starting nothing) and hands every other argument over as it came. Prefer a
 * picocli {@code @Command} class, which also documents each option; this keeps such a command a
 * one-line addition to {@link Qmon#commandLine}.
 */
public final class ArgsCommand implements Callable<Integer> {
  /** A command's entry point. */
  @FunctionalInterface
  public interface Entry {
    int run(String[] args) throws Exception;
  }

  private final Entry entry;
  private final List<String> arguments = new ArrayList<>();

  private ArgsCommand(Entry entry) {
    this.entry = entry;
  }

  /** The subcommand {@code name}: {@code description} in its help, {@code entry} to run it. */
  public static CommandLine of(String name, String description, String argsLabel, Entry entry) {
    ArgsCommand command = new ArgsCommand(entry);
    CommandSpec spec = CommandSpec.wrapWithoutInspection(command).name(name);
    spec.mixinStandardHelpOptions(true);
    spec.usageMessage().description(description);
    spec.parser().unmatchedOptionsArePositionalParams(true);
    spec.addPositional(
        PositionalParamSpec.builder()
            .paramLabel(argsLabel)
            .arity("0..*")
            .type(String[].class)
            .description("Handed to the command as they are.")
            .setter(
                new CommandLine.Model.ISetter() {
                  @Override
                  public <T> T set(T value) {
                    command.arguments.clear();
                    if (value != null) {
                      command.arguments.addAll(List.of((String[]) value));
                    }
                    return null;
                  }
                })
            .build());
    return new CommandLine(spec);
  }

  @Override
  public Integer call() throws Exception {
    return entry.run(arguments.toArray(String[]::new));
  }
}

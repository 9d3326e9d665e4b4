package io.qmon.launcher;

import io.qmon.cli.Cli;
import io.qmon.cli.QmonVersion;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code qmon} command line (picocli): one subcommand per task. Adding a command is one line in
 * {@link #commandLine(java.util.Map)}: a picocli {@code @Command} class, or {@link ArgsCommand#of}
 * for a class with a {@code run(String[] args)} entry.
 */
@Command(
    name = "qmon",
    mixinStandardHelpOptions = true,
    versionProvider = QmonVersion.class,
    description = "Live monitoring for quantum generative models, on this machine.",
    footer = {
      "",
      "./qmon build and ./qmon test [--fast] are handled by the qmon script (see README.md).",
      "'qmon <command> --help' describes a command; the README's CLI reference lists them all."
    })
public final class Qmon implements Callable<Integer> {
  @Spec CommandSpec spec;

  private Qmon() {}

  public static void main(String[] args) {
    System.exit(commandLine(System.getenv()).execute(args));
  }

  /** Every command of {@code qmon}. */
  public static CommandLine commandLine(java.util.Map<String, String> environment) {
    return Cli.commandLine(
        new CommandLine(new Qmon())
            .addSubcommand(new DemoCli())
            .addSubcommand(new StackCommand())
            .addSubcommand(
                ArgsCommand.of(
                    "cluster",
                    "The docker-compose topology as local processes on a real standalone Flink"
                        + " cluster (--task-managers N, --parallelism P), until Ctrl-C.",
                    "[--task-managers N] [--parallelism P]",
                    args -> io.qmon.launcher.cluster.ClusterCommand.run(args, System.out)))
            .addSubcommand(new SweepCli())
            .addSubcommand(new BenchCli())
            .addSubcommand(
                ArgsCommand.of(
                    "eval-detectors",
                    "Score the alert detectors, the baselines (Evidently, NannyML, W&B, River) and"
                        + " the advice on labelled simulated training streams and print the tables.",
                    "[--healthy N] [--per-fault N] [--epochs N] [--seed S] [--no-river] ...",
                    args -> io.qmon.bench.eval.EvalDetectorsCommand.run(args, System.out)))
            .addSubcommand(new CommandLine.HelpCommand()),
        environment);
  }

  /** {@code qmon} alone: the usage, as {@code qmon --help}. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }
}

package io.qmon.launcher;

import io.qmon.schemas.config.Redaction;
import java.io.PrintStream;
import java.util.Arrays;

/** The {@code qmon} command line: dispatches to one subcommand. */
public final class Qmon {
  private static final String USAGE =
      String.join(
          "\n",
          "usage: qmon <command> [options]",
          "",
          "commands:",
          "  demo     start the embedded stack, train simulated QGMs for about a minute, show live metrics",
          "  stack    start the embedded stack and keep it running until Ctrl-C; it resumes from the",
          "           state kept under .qmon/ (--fresh: start empty; -Dqmon.persist=false: keep none)",
          "  sweep    run every combination of a sweep config (producers/examples/sweep.json)",
          "  bench    measure throughput and latency end to end, against Kafka and a PySpark baseline",
          "  help     show this text",
          "",
          "See README.md for options and configuration.");

  private Qmon() {}

  public static void main(String[] args) {
    PrintStream out = System.out;
    int status;
    try {
      status = run(args, out);
    } catch (IllegalArgumentException e) {
      System.err.println("qmon: " + Redaction.urls(e.getMessage()));
      status = 2;
    } catch (Exception e) {
      System.err.println("qmon: " + Redaction.urls(e.toString()));
      e.printStackTrace(System.err);
      status = 1;
    }
    System.exit(status);
  }

  static int run(String[] args, PrintStream out) throws Exception {
    String command = args.length == 0 ? "help" : args[0];
    String[] rest = Arrays.copyOfRange(args, Math.min(1, args.length), args.length);
    switch (command) {
      case "demo":
        return io.qmon.launcher.demo.DemoCommand.run(
            io.qmon.launcher.demo.DemoOptions.parse(rest), out);
      case "bench":
        return io.qmon.bench.BenchCommand.run(io.qmon.bench.BenchOptions.parse(rest), out);
      case "stack":
        return StackCommand.run(out, rest);
      case "sweep":
        return io.qmon.launcher.sweep.SweepCommand.run(
            io.qmon.launcher.sweep.SweepOptions.parse(rest), out);
      case "help":
      case "--help":
      case "-h":
        out.println(USAGE);
        return 0;
      default:
        throw new IllegalArgumentException("unknown command '" + command + "'\n" + USAGE);
    }
  }
}

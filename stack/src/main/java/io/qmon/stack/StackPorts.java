package io.qmon.stack;

/**
 * The TCP ports of the embedded stack's services; 0 lets the service take a free port. {@link
 * #fromBase(int)} gives every service a fixed offset from one base, so a stack restarted with the
 * same base is found at the same addresses:
 *
 * <table>
 *   <caption>offsets from the base port</caption>
 *   <tr><td>+0</td><td>Kafka broker (bootstrap servers)</td></tr>
 *   <tr><td>+1</td><td>Kafka controller</td></tr>
 *   <tr><td>+2</td><td>schema registry</td></tr>
 *   <tr><td>+3</td><td>Flink web UI and REST API</td></tr>
 *   <tr><td>+4</td><td>MLflow tracking server and UI</td></tr>
 *   <tr><td>+5</td><td>Prometheus scrape endpoint</td></tr>
 * </table>
 */
public record StackPorts(
    int kafka, int kafkaController, int schemaRegistry, int flinkWeb, int mlflow, int prometheus) {

  /** Every service on a free port. */
  public static final StackPorts FREE = new StackPorts(0, 0, 0, 0, 0, 0);

  /** How many consecutive ports {@link #fromBase(int)} takes. */
  public static final int SPAN = 6;

  public StackPorts {
    check("kafka.port", kafka);
    check("kafka.controller-port", kafkaController);
    check("schema-registry.port", schemaRegistry);
    check("flink.web-port", flinkWeb);
    check("mlflow.port", mlflow);
    check("prometheus.port", prometheus);
  }

  /** The services on {@code base}, {@code base + 1}, ... in the order of the table above. */
  public static StackPorts fromBase(int base) {
    if (base < 1 || base > 65_535 - (SPAN - 1)) {
      throw new IllegalArgumentException(
          "--port-base must be in [1, " + (65_535 - (SPAN - 1)) + "], got " + base);
    }
    return new StackPorts(base, base + 1, base + 2, base + 3, base + 4, base + 5);
  }

  /** These ports, with each non-zero port of {@code pinned} replacing the one here. */
  public StackPorts with(StackPorts pinned) {
    return new StackPorts(
        pick(pinned.kafka, kafka),
        pick(pinned.kafkaController, kafkaController),
        pick(pinned.schemaRegistry, schemaRegistry),
        pick(pinned.flinkWeb, flinkWeb),
        pick(pinned.mlflow, mlflow),
        pick(pinned.prometheus, prometheus));
  }

  private static int pick(int pinned, int otherwise) {
    return pinned != 0 ? pinned : otherwise;
  }

  private static void check(String option, int port) {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException(
          "--" + option + " must be in [0, 65535] (0: a free port), got " + port);
    }
  }
}

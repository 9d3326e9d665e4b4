package io.qmon.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {
  @Test
  void shouldReadEveryOption() {
    BenchOptions options =
        BenchOptions.parse(
            new String[] {
              "--events", "5000", "--events-12q", "700", "--workload", "12q", "--parallelism", "1",
              "--rate", "300", "--rate-12q", "50", "--paced-s", "4", "--runs", "10",
              "--skip-baseline"
            });

    assertEquals(5000, options.events(Workload.FIVE_QUBITS));
    assertEquals(700, options.events(Workload.TWELVE_QUBITS));
    assertEquals(List.of(Workload.TWELVE_QUBITS), options.workloads());
    assertEquals(1, options.parallelism());
    assertEquals(1200, options.pacedEvents(Workload.FIVE_QUBITS));
    assertEquals(200, options.pacedEvents(Workload.TWELVE_QUBITS));
    assertEquals(10, options.runs());
    assertTrue(options.skipBaseline());
  }

  @Test
  void shouldReadDigitSeparatorsAndRepeatedJobSettings() {
    BenchOptions options =
        BenchOptions.parse(
            new String[] {
              "--events",
              "500_000",
              "--job",
              "job.parallelism=3",
              "--job",
              "kafka.consumer-properties=a=1,b=2"
            });
    assertEquals(500_000, options.events(Workload.FIVE_QUBITS));
    assertEquals(
        java.util.Map.of("job.parallelism", "3", "kafka.consumer-properties", "a=1,b=2"),
        options.jobOverrides());
    assertEquals(List.of(Workload.values()), options.workloads(), "all workloads by default");
  }

  @Test
  void shouldNameTheOptionThatIsWrong() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> BenchOptions.parse(new String[] {"--events", "many"}));
    assertEquals(
        "Invalid value for option '--events': needs a whole number, got 'many'", e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> BenchOptions.parse(new String[] {"--workload", "7q"}));
    assertThrows(
        IllegalArgumentException.class, () -> BenchOptions.parse(new String[] {"--rate", "0"}));
  }
}

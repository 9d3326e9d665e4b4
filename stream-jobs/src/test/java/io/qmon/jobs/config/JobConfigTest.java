package io.qmon.jobs.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobConfigTest {
  @Test
  void shouldLetArgumentsOverrideDefaults() {
    JobConfig config =
        JobConfig.fromArgs(
            new String[] {"--job.parallelism", "8", "--kafka.bootstrap-servers", "b:9092"});
    assertEquals(8, config.parallelism());
    assertEquals("b:9092", config.bootstrapServers());
    assertEquals(60_000, config.pendingTimeoutMs());
  }

  @Test
  void shouldRefuseUnknownOrInvalidOptionsNamingThem() {
    IllegalArgumentException unknown =
        assertThrows(
            IllegalArgumentException.class, () -> JobConfig.fromArgs(new String[] {"--nope", "1"}));
    assertTrue(unknown.getMessage().contains("--nope"), unknown.getMessage());
    IllegalArgumentException invalid =
        assertThrows(
            IllegalArgumentException.class,
            () -> JobConfig.of(Map.of("job.parallelism", "zero")).parallelism());
    assertTrue(invalid.getMessage().contains("job.parallelism"), invalid.getMessage());
    IllegalArgumentException guarantee =
        assertThrows(
            IllegalArgumentException.class,
            () -> JobConfig.of(Map.of("job.delivery-guarantee", "maybe")).exactlyOnce());
    assertTrue(guarantee.getMessage().contains("maybe"), guarantee.getMessage());
  }

  @Test
  void shouldDocumentEveryOptionInTheReadme() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    for (JobConfig.Option option : JobConfig.OPTIONS) {
      assertTrue(
          readme.contains("`" + option.key() + "` | `" + option.defaultValue() + "`"),
          "README.md documents " + option.key() + " with its default " + option.defaultValue());
    }
  }

  @Test
  void shouldParseStateCutsAndRefuseARepeatedQubit() {
    assertEquals(List.of(), JobConfig.of(Map.of()).stateCuts());
    List<int[]> cuts = JobConfig.of(Map.of("job.state-cuts", "0,1; 2")).stateCuts();
    assertEquals(2, cuts.size());
    assertArrayEquals(new int[] {0, 1}, cuts.get(0));
    assertArrayEquals(new int[] {2}, cuts.get(1));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> JobConfig.of(Map.of("job.state-cuts", "0,0")).stateCuts());
    assertTrue(e.getMessage().contains("qubit 0 appears twice"), e.getMessage());
  }
}

package io.qmon.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetainedCheckpointsTest {
  @TempDir Path root;

  private Path checkpoint(String job, String name, Instant written) throws IOException {
    Path dir = Files.createDirectories(root.resolve(job).resolve(name));
    Path metadata = Files.writeString(dir.resolve("_metadata"), "m");
    Files.setLastModifiedTime(metadata, FileTime.from(written));
    return dir;
  }

  @Test
  void shouldFindNothingInAMissingOrEmptyFolder() throws IOException {
    assertEquals(Optional.empty(), RetainedCheckpoints.latest(root.resolve("missing")));
    Files.createDirectories(root.resolve("job-a").resolve("shared"));
    assertEquals(Optional.empty(), RetainedCheckpoints.latest(root));
  }

  @Test
  void shouldPickTheLastWrittenCheckpointAcrossJobsNotTheHighestNumber() throws IOException {
    Instant t = Instant.parse("2026-12-01T10:00:00Z");
    checkpoint("job-old", "chk-41", t);
    Path newest = checkpoint("job-new", "chk-3", t.plusSeconds(60));
    assertEquals(Optional.of(newest.toAbsolutePath()), RetainedCheckpoints.latest(root));
  }

  @Test
  void shouldSkipACheckpointCutShortBeforeItsMetadata() throws IOException {
    Instant t = Instant.parse("2026-12-01T10:00:00Z");
    Path complete = checkpoint("job", "chk-7", t);
    Files.createDirectories(root.resolve("job").resolve("chk-8"));
    Files.createDirectories(root.resolve("job").resolve("shared"));
    assertEquals(Optional.of(complete.toAbsolutePath()), RetainedCheckpoints.latest(root));
  }

  @Test
  void shouldTellWhetherAJobCheckpointedAfterTheRestoredNumber() throws IOException {
    Instant t = Instant.parse("2026-12-01T10:00:00Z");
    checkpoint("job", "chk-12", t);
    Files.createDirectories(root.resolve("job").resolve("chk-13"));
    assertFalse(RetainedCheckpoints.hasCompleteCheckpointAfter(root.resolve("job"), 12));
    checkpoint("job", "chk-14", t);
    assertTrue(RetainedCheckpoints.hasCompleteCheckpointAfter(root.resolve("job"), 12));
    assertFalse(RetainedCheckpoints.hasCompleteCheckpointAfter(root.resolve("other"), 0));
  }

  @Test
  void shouldDeleteEveryOtherJobsFolder() throws IOException {
    Instant t = Instant.parse("2026-12-01T10:00:00Z");
    checkpoint("job-old", "chk-1", t);
    Path kept = checkpoint("job-new", "chk-2", t);
    RetainedCheckpoints.deleteJobsOtherThan(root, kept.getParent());
    assertFalse(Files.exists(root.resolve("job-old")));
    assertTrue(Files.exists(kept.resolve("_metadata")));
  }
}

package io.qmon.schemas.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The Python SDK spells the same error codes as this enum, in the same order. */
class ErrorTypeTest {
  private static final Path PYTHON_VALIDATION =
      Path.of("..", "producers", "python", "qmon_sdk", "validation.py");

  @Test
  void shouldListTheSameErrorTypesInThePythonSdk() throws IOException {
    String python = Files.readString(PYTHON_VALIDATION);
    Matcher tuple = Pattern.compile("(?s)ERROR_TYPES = \\((.*?)\\)").matcher(python);
    assertEquals(true, tuple.find(), "validation.py defines ERROR_TYPES = (...)");
    List<String> pythonNames =
        Pattern.compile("\"([A-Z_]+)\"")
            .matcher(tuple.group(1))
            .results()
            .map(m -> m.group(1))
            .toList();
    List<String> javaNames = Arrays.stream(ErrorType.values()).map(Enum::name).toList();
    assertEquals(javaNames, pythonNames, "ERROR_TYPES in " + PYTHON_VALIDATION);
  }

  @Test
  void shouldWriteTheEnumNameAsTheDeadLetterCode() {
    Rejection r = new Rejection(ErrorType.DUPLICATE_OUTCOME, "outcomes[2]", "outcomes[2] repeats");
    assertEquals("DUPLICATE_OUTCOME", r.errorType());
    assertEquals(ErrorType.DUPLICATE_OUTCOME, r.type());
  }
}

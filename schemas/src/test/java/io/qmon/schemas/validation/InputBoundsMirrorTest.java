package io.qmon.schemas.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The Python SDK's bounds are the Java ones: same names, same values. */
class InputBoundsMirrorTest {
  private static final Path PYTHON_VALIDATION =
      Path.of("..", "producers", "python", "qmon_sdk", "validation.py");

  @Test
  void shouldMirrorEveryBoundOfThePythonSdkWithTheSameValue() throws Exception {
    Map<String, Long> python = pythonBounds();
    assertTrue(python.size() >= 15, "bounds found in validation.py: " + python.keySet());
    for (Map.Entry<String, Long> bound : python.entrySet()) {
      assertEquals(javaBound(bound.getKey()), bound.getValue(), bound.getKey());
    }
  }

  private static long javaBound(String name) throws IllegalAccessException {
    for (Class<?> owner : new Class<?>[] {InputBounds.class, EventValidator.class}) {
      try {
        Field field = owner.getField(name);
        return ((Number) field.get(null)).longValue();
      } catch (NoSuchFieldException e) {
        // look in the next class
      }
    }
    throw new AssertionError(name + " in validation.py has no Java constant of that name");
  }

  private static Map<String, Long> pythonBounds() throws IOException {
    Map<String, Long> bounds = new LinkedHashMap<>();
    Matcher m =
        Pattern.compile("(?m)^((?:MAX|MIN)_[A-Z_]+) = (\\d+)$")
            .matcher(Files.readString(PYTHON_VALIDATION));
    while (m.find()) {
      bounds.put(m.group(1), Long.parseLong(m.group(2)));
    }
    return bounds;
  }
}

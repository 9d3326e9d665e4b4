package io.qmon.metrics.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The golden reference file written by {@code metrics/reference/generate_golden.py}. */
public final class Golden {
  public static final String RESOURCE = "/golden/metrics-golden.jsonl";

  private Golden() {}

  /** Every case of the given kind, in file order. */
  public static List<JsonLine> cases(String kind) {
    List<JsonLine> out = new ArrayList<>();
    try (InputStream in = Golden.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("Golden file " + RESOURCE + " is not on the classpath.");
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.contains("\"kind\":\"" + kind + "\"")) {
          out.add(JsonLine.parse(line));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}

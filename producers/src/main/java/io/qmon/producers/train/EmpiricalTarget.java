package io.qmon.producers.train;

import io.qmon.metrics.Distribution;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A target histogram built from data: samples (or weighted values) binned onto the 2^n-point grid.
 *
 * <p>CSV format (UTF-8): one record per line, either {@code value} (one sample) or {@code
 * value,count} (a value seen {@code count} times; count is a non-negative number). Lines may mix
 * the two forms. Blank lines and lines starting with {@code #} are skipped, and so is a first line
 * whose first field is not a number (a header). Each value is assigned to the nearest grid point
 * low + (high−low)/(2^n−1)·x; a value outside [low, high] is an error, so a badly chosen domain
 * cannot silently drop data.
 */
public final class EmpiricalTarget {
  private EmpiricalTarget() {}

  /** Reads a CSV file as described in the class comment. */
  public static Target fromCsv(Path path, int qubits, double low, double high) {
    try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      return fromCsv(reader, "empirical(" + path.getFileName() + ")", qubits, low, high);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read target CSV " + path, e);
    }
  }

  /** Reads CSV text as described in the class comment; {@code name} labels the target. */
  public static Target fromCsv(Reader csv, String name, int qubits, double low, double high)
      throws IOException {
    checkGrid(qubits, low, high);
    double[] weights = new double[1 << qubits];
    BufferedReader lines = new BufferedReader(csv);
    String line;
    int number = 0;
    boolean first = true;
    while ((line = lines.readLine()) != null) {
      number++;
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      String[] fields = trimmed.split(",", -1);
      boolean header = first && !isNumber(fields[0].strip());
      first = false;
      if (header) {
        continue;
      }
      if (fields.length > 2) {
        throw new IllegalArgumentException(
            "line " + number + ": expected 'value' or 'value,count', got '" + trimmed + "'");
      }
      double value = parse(fields[0], "value", number);
      double count = fields.length == 2 ? parse(fields[1], "count", number) : 1.0;
      if (count < 0) {
        throw new IllegalArgumentException("line " + number + ": count must be >= 0, got " + count);
      }
      weights[bin(value, qubits, low, high, number)] += count;
    }
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    if (!(total > 0)) {
      throw new IllegalArgumentException(name + ": the CSV holds no samples with positive count");
    }
    return new Target.Fixed(name, qubits, low, high, Distribution.dense(qubits, weights));
  }

  private static int bin(double value, int qubits, double low, double high, int line) {
    if (value < low || value > high) {
      throw new IllegalArgumentException(
          "line "
              + line
              + ": value "
              + value
              + " is outside the domain ["
              + low
              + ", "
              + high
              + "]");
    }
    int last = (1 << qubits) - 1;
    return (int) Math.round((value - low) / (high - low) * last);
  }

  private static double parse(String field, String what, int line) {
    try {
      double v = Double.parseDouble(field.strip());
      if (!Double.isFinite(v)) {
        throw new NumberFormatException("not finite");
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "line " + line + ": " + what + " '" + field.strip() + "' is not a finite number", e);
    }
  }

  private static boolean isNumber(String field) {
    try {
      Double.parseDouble(field);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static void checkGrid(int qubits, double low, double high) {
    if (qubits < 1 || qubits > 24) {
      throw new IllegalArgumentException("qubits must be in [1, 24], got " + qubits);
    }
    if (!(high > low)) {
      throw new IllegalArgumentException(
          "high must be > low, got low = " + low + ", high = " + high);
    }
  }
}

package io.qmon.metrics.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one line of the golden file: a flat JSON object of numbers, strings and arrays of numbers.
 * A tiny parser keeps the module free of JSON libraries.
 */
public final class JsonLine {
  private final Map<String, Object> fields;

  private JsonLine(Map<String, Object> fields) {
    this.fields = fields;
  }

  public static JsonLine parse(String line) {
    Parser parser = new Parser(line);
    Object value = parser.value();
    if (!(value instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException("Not a JSON object: " + line);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> fields = (Map<String, Object>) map;
    return new JsonLine(fields);
  }

  public String string(String key) {
    return (String) require(key);
  }

  /** A number; the strings "inf" and "-inf" stand for the infinities. */
  public double number(String key) {
    Object v = require(key);
    if ("inf".equals(v)) {
      return Double.POSITIVE_INFINITY;
    }
    if ("-inf".equals(v)) {
      return Double.NEGATIVE_INFINITY;
    }
    return ((Number) v).doubleValue();
  }

  public long integer(String key) {
    return ((Number) require(key)).longValue();
  }

  public long[] longs(String key) {
    List<?> list = (List<?>) require(key);
    long[] out = new long[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ((Number) list.get(i)).longValue();
    }
    return out;
  }

  public double[] doubles(String key) {
    List<?> list = (List<?>) require(key);
    double[] out = new double[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ((Number) list.get(i)).doubleValue();
    }
    return out;
  }

  public int[] ints(String key) {
    long[] values = longs(key);
    int[] out = new int[values.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = Math.toIntExact(values[i]);
    }
    return out;
  }

  private Object require(String key) {
    Object v = fields.get(key);
    if (v == null) {
      throw new IllegalArgumentException("Missing field " + key + " in " + fields.keySet());
    }
    return v;
  }

  private static final class Parser {
    private final String s;
    private int pos;

    Parser(String s) {
      this.s = s;
    }

    Object value() {
      skipSpace();
      char c = s.charAt(pos);
      if (c == '{') {
        return object();
      }
      if (c == '[') {
        return array();
      }
      if (c == '"') {
        return string();
      }
      return number();
    }

    private Map<String, Object> object() {
      Map<String, Object> map = new LinkedHashMap<>();
      pos++;
      skipSpace();
      if (s.charAt(pos) == '}') {
        pos++;
        return map;
      }
      while (true) {
        skipSpace();
        String key = string();
        skipSpace();
        expect(':');
        map.put(key, value());
        skipSpace();
        if (s.charAt(pos++) == '}') {
          return map;
        }
      }
    }

    private List<Object> array() {
      List<Object> list = new ArrayList<>();
      pos++;
      skipSpace();
      if (s.charAt(pos) == ']') {
        pos++;
        return list;
      }
      while (true) {
        list.add(value());
        skipSpace();
        if (s.charAt(pos++) == ']') {
          return list;
        }
      }
    }

    private String string() {
      expect('"');
      int end = s.indexOf('"', pos);
      String out = s.substring(pos, end);
      pos = end + 1;
      return out;
    }

    private Number number() {
      int start = pos;
      while (pos < s.length() && "+-0123456789.eE".indexOf(s.charAt(pos)) >= 0) {
        pos++;
      }
      String text = s.substring(start, pos);
      if (text.contains(".") || text.contains("e") || text.contains("E")) {
        return Double.parseDouble(text);
      }
      return Long.parseLong(text);
    }

    private void expect(char c) {
      if (s.charAt(pos) != c) {
        throw new IllegalArgumentException("Expected '" + c + "' at " + pos + " in " + s);
      }
      pos++;
    }

    private void skipSpace() {
      while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
        pos++;
      }
    }
  }
}

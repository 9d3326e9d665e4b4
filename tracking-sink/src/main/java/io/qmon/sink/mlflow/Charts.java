package io.qmon.sink.mlflow;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import javax.imageio.ImageIO;
import org.mlflow.api.proto.Service.Metric;

/** Small PNG charts drawn with java.awt on an off-screen image (works headless). */
final class Charts {
  private static final int WIDTH = 960;
  private static final int HEIGHT = 480;
  private static final int LEFT = 70;
  private static final int RIGHT = 20;
  private static final int TOP = 50;
  private static final int BOTTOM = 60;
  private static final int MAX_BARS = 64;
  private static final Color[] PALETTE = {
    new Color(31, 119, 180),
    new Color(255, 127, 14),
    new Color(44, 160, 44),
    new Color(214, 39, 40),
    new Color(148, 103, 189),
    new Color(140, 86, 75)
  };

  private Charts() {}

  /** Side-by-side bars of two distributions over outcomes (the most probable 64 if more). */
  static byte[] bars(String title, Map<Long, Double> target, Map<Long, Double> generated)
      throws IOException {
    TreeSet<Long> all = new TreeSet<>(target.keySet());
    all.addAll(generated.keySet());
    List<Long> outcomes = new ArrayList<>(all);
    if (outcomes.size() > MAX_BARS) {
      outcomes.sort(
          Comparator.comparingDouble(
                  (Long o) ->
                      -Math.max(target.getOrDefault(o, 0.0), generated.getOrDefault(o, 0.0)))
              .thenComparing(o -> o));
      outcomes = new ArrayList<>(new TreeSet<>(outcomes.subList(0, MAX_BARS)));
    }
    double max = 1e-12;
    for (long o : outcomes) {
      max = Math.max(max, Math.max(target.getOrDefault(o, 0.0), generated.getOrDefault(o, 0.0)));
    }
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = frame(image, title, max, "probability");
    int plotWidth = WIDTH - LEFT - RIGHT;
    int plotHeight = HEIGHT - TOP - BOTTOM;
    double slot = plotWidth / (double) Math.max(1, outcomes.size());
    for (int i = 0; i < outcomes.size(); i++) {
      long o = outcomes.get(i);
      double x = LEFT + i * slot;
      drawBar(
          g, PALETTE[0], x + slot * 0.1, slot * 0.4, target.getOrDefault(o, 0.0) / max, plotHeight);
      drawBar(
          g,
          PALETTE[1],
          x + slot * 0.5,
          slot * 0.4,
          generated.getOrDefault(o, 0.0) / max,
          plotHeight);
      if (outcomes.size() <= 32) {
        g.setColor(Color.DARK_GRAY);
        g.drawString(Long.toString(o), (int) (x + slot * 0.3), HEIGHT - BOTTOM + 15);
      }
    }
    legend(g, List.of("target", "generated"));
    return png(image, g);
  }

  /** Lines of metric series over steps; keys ending in _noise_floor are drawn dashed. */
  static byte[] lines(String title, Map<String, List<Metric>> series) throws IOException {
    double max = 1e-12;
    long maxStep = 1;
    for (List<Metric> points : series.values()) {
      for (Metric m : points) {
        if (Double.isFinite(m.getValue())) {
          max = Math.max(max, m.getValue());
        }
        maxStep = Math.max(maxStep, m.getStep());
      }
    }
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = frame(image, title, max, "value (x: epoch)");
    int plotWidth = WIDTH - LEFT - RIGHT;
    int plotHeight = HEIGHT - TOP - BOTTOM;
    int colour = 0;
    for (var entry : series.entrySet()) {
      List<Metric> points = new ArrayList<>(entry.getValue());
      points.sort(Comparator.comparingLong(Metric::getStep));
      g.setColor(PALETTE[colour++ % PALETTE.length]);
      boolean floor = entry.getKey().endsWith(MetricPoints.FLOOR_SUFFIX);
      g.setStroke(
          floor
              ? new BasicStroke(
                  2, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0)
              : new BasicStroke(2));
      int px = -1;
      int py = -1;
      for (Metric m : points) {
        if (!Double.isFinite(m.getValue())) {
          continue;
        }
        int x = LEFT + (int) (plotWidth * m.getStep() / (double) maxStep);
        int y = TOP + plotHeight - (int) (plotHeight * m.getValue() / max);
        if (px >= 0) {
          g.drawLine(px, py, x, y);
        }
        px = x;
        py = y;
      }
    }
    g.setStroke(new BasicStroke(1));
    legend(g, new ArrayList<>(series.keySet()));
    return png(image, g);
  }

  private static Graphics2D frame(BufferedImage image, String title, double max, String yLabel) {
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, WIDTH, HEIGHT);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    g.drawString(title, LEFT, 25);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    g.drawLine(LEFT, TOP, LEFT, HEIGHT - BOTTOM);
    g.drawLine(LEFT, HEIGHT - BOTTOM, WIDTH - RIGHT, HEIGHT - BOTTOM);
    g.drawString(String.format("%.3g", max), 5, TOP + 5);
    g.drawString("0", LEFT - 15, HEIGHT - BOTTOM);
    g.drawString(yLabel, LEFT, HEIGHT - 10);
    return g;
  }

  private static void drawBar(
      Graphics2D g, Color colour, double x, double width, double fraction, int plotHeight) {
    int h = (int) Math.round(plotHeight * fraction);
    g.setColor(colour);
    g.fillRect((int) x, HEIGHT - BOTTOM - h, Math.max(1, (int) width), h);
  }

  private static void legend(Graphics2D g, List<String> names) {
    int y = TOP + 10;
    for (int i = 0; i < names.size(); i++) {
      g.setColor(PALETTE[i % PALETTE.length]);
      g.fillRect(WIDTH - RIGHT - 190, y - 9, 12, 10);
      g.setColor(Color.BLACK);
      g.drawString(names.get(i), WIDTH - RIGHT - 172, y);
      y += 16;
    }
  }

  private static byte[] png(BufferedImage image, Graphics2D g) throws IOException {
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (!ImageIO.write(image, "png", out)) {
      throw new IOException("No PNG writer available in ImageIO");
    }
    return out.toByteArray();
  }
}

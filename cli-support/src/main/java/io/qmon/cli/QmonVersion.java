package io.qmon.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code --version} of every qmon program: the project version and the Java runtime. */
public final class QmonVersion implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {
      "qmon " + projectVersion(),
      "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"
    };
  }

  /** The Maven project version this build carries. */
  public static String projectVersion() {
    try (InputStream in = QmonVersion.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        throw new IllegalStateException("io/qmon/cli/version.properties is missing");
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package io.qmon.tests.sink;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One MLflow server shared by the sink ITs that write to MLflow
 * ({@code @ExtendWith(SharedMlflow.class)} and an {@link MlflowServer} parameter on the
 * {@code @BeforeAll} method). A start costs about 20 CPU-seconds of Python imports, 15–40 s of wall
 * time on the two-core machine; these ITs write and read back experiments of their own names, so
 * one server serves them all. A test that stops it starts it again on the same port and database
 * before it ends. JUnit closes it when the whole test plan ends (the root store closes its {@link
 * AutoCloseable} values).
 */
final class SharedMlflow implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(SharedMlflow.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == MlflowServer.class;
  }

  @Override
  public MlflowServer resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(MlflowServer.class, key -> start(), MlflowServer.class);
  }

  private static MlflowServer start() {
    try {
      Path home = Files.createDirectories(Path.of(System.getProperty("qmon.home", "target/qmon")));
      return MlflowServer.start(Files.createTempDirectory(home, "shared-mlflow-"));
    } catch (Exception e) {
      throw new IllegalStateException("the shared MLflow server did not start", e);
    }
  }
}

package io.qmon.tests.sink;

import io.qmon.tests.PlanWideServer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One MLflow server shared by the sink ITs that write to MLflow
 * ({@code @ExtendWith(SharedMlflow.class)} and an {@link MlflowServer} parameter on the
 * {@code @BeforeAll} method). A start costs about 20 CPU-seconds of Python imports, 15–40 s of wall
 * time on the two-core machine; these ITs write and read back experiments of their own names. A
 * test that stops the server starts it again on the same port and database before it ends.
 */
final class SharedMlflow extends PlanWideServer<MlflowServer> {
  SharedMlflow() {
    super(MlflowServer.class);
  }

  @Override
  protected MlflowServer start() throws Exception {
    Path home = Files.createDirectories(Path.of(System.getProperty("qmon.home", "target/qmon")));
    return MlflowServer.start(Files.createTempDirectory(home, "shared-mlflow-"));
  }
}

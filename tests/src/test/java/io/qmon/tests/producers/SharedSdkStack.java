package io.qmon.tests.producers;

import io.qmon.stack.EmbeddedStack;
import io.qmon.stack.StackSettings;
import io.qmon.tests.PlanWideServer;
import java.util.Map;

/**
 * One embedded stack, with the monitoring job at its default configuration, shared by the SDK ITs
 * ({@code @ExtendWith(SharedSdkStack.class)} and an {@link EmbeddedStack} parameter on the
 * {@code @BeforeAll} method). These ITs only publish runs with unique ids and read back by run id,
 * so one stack serves them all. ITs that read whole topics or change the job's settings start their
 * own.
 */
public final class SharedSdkStack extends PlanWideServer<EmbeddedStack> {
  public SharedSdkStack() {
    super(EmbeddedStack.class);
  }

  @Override
  protected EmbeddedStack start() throws Exception {
    EmbeddedStack stack = EmbeddedStack.start(StackSettings.fromSystemProperties());
    stack.startMonitoringJob(stack.jobConfig(Map.of("kafka.group-id", "it-sdk-shared")));
    return stack;
  }
}

package io.qmon.tests.producers;

import io.qmon.stack.EmbeddedStack;
import io.qmon.stack.StackSettings;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One embedded stack, with the monitoring job at its default configuration, shared by the SDK ITs
 * ({@code @ExtendWith(SharedSdkStack.class)} and an {@link EmbeddedStack} parameter on the
 * {@code @BeforeAll} method). Starting a broker, registry and job costs each IT class tens of
 * seconds; these ITs only publish runs with unique ids and read back by run id, so one stack serves
 * them all. JUnit closes it when the whole test plan ends (the root store closes its {@link
 * AutoCloseable} values). ITs that read whole topics or change the job's settings start their own.
 */
public final class SharedSdkStack implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(SharedSdkStack.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == EmbeddedStack.class;
  }

  @Override
  public EmbeddedStack resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(EmbeddedStack.class, key -> start(), EmbeddedStack.class);
  }

  private static EmbeddedStack start() {
    try {
      EmbeddedStack stack = EmbeddedStack.start(StackSettings.fromSystemProperties());
      stack.startMonitoringJob(stack.jobConfig(Map.of("kafka.group-id", "it-sdk-shared")));
      return stack;
    } catch (Exception e) {
      throw new IllegalStateException("the shared SDK stack did not start", e);
    }
  }
}

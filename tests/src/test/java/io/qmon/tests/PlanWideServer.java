package io.qmon.tests;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One server shared by every test class that extends with a subclass and takes a {@code T}
 * parameter on its {@code @BeforeAll} method: started by the first class that asks, kept for the
 * whole test plan (the ITs run one class at a time in one fork), and closed by JUnit when the plan
 * ends (the root store closes its {@link AutoCloseable} values). A server start costs each IT class
 * tens of seconds on the two-core machine; sharing is for ITs that only read back what they wrote
 * under names of their own.
 */
public abstract class PlanWideServer<T extends AutoCloseable> implements ParameterResolver {
  private final Class<T> type;

  protected PlanWideServer(Class<T> type) {
    this.type = type;
  }

  /** Starts the server; called once per test plan. */
  protected abstract T start() throws Exception;

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == type;
  }

  @Override
  public T resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getRoot()
        .getStore(ExtensionContext.Namespace.create(getClass()))
        .getOrComputeIfAbsent(type, key -> startOrFail(), type);
  }

  private T startOrFail() {
    try {
      return start();
    } catch (Exception e) {
      throw new IllegalStateException("the shared " + type.getSimpleName() + " did not start", e);
    }
  }
}

package io.qmon.producers.worker;

/** Which QGM a simulated run trains. */
public enum ModelKind {
  /** Quantum circuit Born machine trained with SPSA on a divergence of its samples. */
  BORN_MACHINE("born_machine"),
  /** Quantum GAN: quantum generator against a classical discriminator, both trained with Adam. */
  QGAN("qgan");

  private final String key;

  ModelKind(String key) {
    this.key = key;
  }

  /** The name used in configuration files and in RunStarted.model_type. */
  public String key() {
    return key;
  }

  /** The kind named {@code key}, for instance {@code "qgan"}. */
  public static ModelKind of(String key) {
    for (ModelKind kind : values()) {
      if (kind.key.equals(key)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("unknown model '" + key + "'; use born_machine or qgan");
  }
}

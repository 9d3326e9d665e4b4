package io.qmon.producers.train;

/** The losses a Born machine can minimise; see {@link LossFunction} for their exact definitions. */
public enum Loss {
  /** KL(P‖Q̃) in bits with additive smoothing of the generated distribution. */
  KL("kl"),
  /** Jensen–Shannon divergence in bits, as {@code io.qmon.metrics.Divergences}. */
  JSD("jsd"),
  /** Squared maximum mean discrepancy with a Gaussian kernel on outcome values. */
  MMD("mmd");

  private final String key;

  Loss(String key) {
    this.key = key;
  }

  /** The name the loss is reported under in {@link EpochResult#losses()}. */
  public String key() {
    return key;
  }
}

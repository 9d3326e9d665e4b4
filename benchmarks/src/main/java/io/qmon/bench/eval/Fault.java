package io.qmon.bench.eval;

/** What goes wrong in a labelled stream, from its fault epoch on; {@link #NONE} for healthy. */
public enum Fault {
  /** Healthy training, no fault. */
  NONE("healthy"),
  /** The generator keeps only its most likely outcomes (a quarter of its support). */
  MODE_COLLAPSE("mode-collapse"),
  /** The optimiser's learning rate jumps (SPSA a = 10, Adam 2) and the parameters run away. */
  DIVERGENCE("divergence"),
  /** No progress from the first epoch: steps too small to leave the random start (SPSA a=1e-4). */
  BARREN_PLATEAU("barren-plateau"),
  /** The output mixes towards uniform (depolarising λ ramping to the strength over 5 epochs). */
  NOISE_DRIFT("noise-drift"),
  /** The backend returns an eighth of the shots. */
  SHOTS_DROP("shots-drop"),
  /** A qGAN whose players' learning rates jump tenfold with heavy momentum and start to cycle. */
  QGAN_OSCILLATION("qgan-oscillation");

  private final String label;

  Fault(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}

package io.qmon.metrics.advice;

/** What a run's progress says about further training. Each kind is decided at most once per run. */
public enum AdviceKind {
  /**
   * The divergence sits within its shot-noise floor: at this shot count the model is
   * indistinguishable from the target, so further epochs cannot be measured to help. Stop.
   */
  CONVERGED_AT_NOISE_FLOOR(true, true),
  /**
   * Progress stopped above the floor after the run had made progress: a capacity or optimizer
   * limit. Further epochs at this configuration are unlikely to help; the training loop decides.
   */
  PLATEAU(false, true),
  /**
   * No progress beyond sampling noise since the start (vanishing gradients, a barren plateau). Stop
   * and change the initialisation or ansatz.
   */
  BARREN_PLATEAU(true, true),
  /** The divergence has more than doubled from the run's best level. Stop. */
  DIVERGING(true, false),
  /** Mode coverage fell to at most half of its best level (mode collapse). Stop. */
  COLLAPSED(true, false);

  private final boolean stop;
  private final boolean progressEvent;

  AdviceKind(boolean stop, boolean progressEvent) {
    this.stop = stop;
    this.progressEvent = progressEvent;
  }

  /** Whether the advice is to stop the run now. */
  public boolean stop() {
    return stop;
  }

  /**
   * Whether this is a progress event (converged, plateau, barren plateau), also raised as an INFO
   * alert; diverging and collapse are the fault detectors' business on the alert channel.
   */
  public boolean progressEvent() {
    return progressEvent;
  }
}

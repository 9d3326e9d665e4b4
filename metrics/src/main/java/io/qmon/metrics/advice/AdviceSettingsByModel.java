package io.qmon.metrics.advice;

import java.io.Serializable;

/**
 * Which advice rules a run gets, by the model type its start declares: qGANs learn in bursts and
 * wander across modes (see {@link AdviceSettings#QGAN_DEFAULTS}), so rules tuned for a run that
 * descends its own divergence stop healthy qGANs, and rules loose enough for qGANs miss collapses
 * of the rest.
 *
 * @param standard the rules for every model type but {@value #QGAN}, and for a run whose type is
 *     unknown
 * @param qgan the rules for a run whose start declares model type {@value #QGAN}
 */
public record AdviceSettingsByModel(AdviceSettings standard, AdviceSettings qgan)
    implements Serializable {
  /** The model type (as in a run start's {@code model_type}) that gets the {@link #qgan} rules. */
  public static final String QGAN = "qgan";

  /** {@link AdviceSettings#DEFAULTS} and {@link AdviceSettings#QGAN_DEFAULTS}. */
  public static final AdviceSettingsByModel DEFAULTS =
      new AdviceSettingsByModel(AdviceSettings.DEFAULTS, AdviceSettings.QGAN_DEFAULTS);

  public AdviceSettingsByModel {
    if (standard == null || qgan == null) {
      throw new IllegalArgumentException("both advice settings must be given");
    }
  }

  /** The rules for a run of this model type (case-insensitive; null when unknown). */
  public AdviceSettings forModel(String modelType) {
    return isQgan(modelType) ? qgan : standard;
  }

  /** Whether a run of this model type gets the {@link #qgan} rules. */
  public static boolean isQgan(String modelType) {
    return QGAN.equalsIgnoreCase(modelType);
  }
}

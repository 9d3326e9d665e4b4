package io.qmon.producers.sdk;

import io.qmon.schemas.RunStarted;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * What a run is, in plain Java: the run id and the fields of its {@code RunStarted} event, with
 * defaults for everything but qubits, shots and the target, so a first run needs four calls:
 *
 * <pre>{@code
 * RunSpec spec = RunSpec.builder("my-run").qubits(3).shots(1024).target("normal-q3").build();
 * }</pre>
 *
 * <p>Defaults: experiment {@value #DEFAULT_EXPERIMENT}, model type {@value #DEFAULT_MODEL_TYPE},
 * ansatz, backend and optimizer {@value #UNKNOWN}, repetitions 0, seed 0, repeat index 0, no noise
 * model, no config id, no settings, params, tags or attachments. The values are checked when the
 * run starts ({@link InvalidEventException} names the field), not here, so the rules live in one
 * place.
 *
 * <p>When the run starts, the publisher adds what the run was made with ({@link RunEnvironment}:
 * git commit, dirty flag and branch, user, host, Java and qmon versions as tags, the runtime and
 * classpath as the attachment {@code environment.txt}) unless {@link
 * Builder#captureEnvironment(boolean)} turned it off; the spec's own tags and attachments win over
 * captured ones of the same name. {@link Builder#circuit(String)} attaches the circuit's OpenQASM.
 */
public final class RunSpec {
  public static final String DEFAULT_EXPERIMENT = "default";
  public static final String DEFAULT_MODEL_TYPE = "custom";
  public static final String UNKNOWN = "unknown";

  private final String runId;
  private final RunStarted started;
  private final boolean captureEnvironment;

  private RunSpec(String runId, RunStarted started, boolean captureEnvironment) {
    this.runId = runId;
    this.started = started;
    this.captureEnvironment = captureEnvironment;
  }

  /** A builder for the run {@code runId}. */
  public static Builder builder(String runId) {
    return new Builder(runId);
  }

  /** A builder for a run with a fresh random id. */
  public static Builder builder() {
    return new Builder(UUID.randomUUID().toString());
  }

  /** A spec from an already built start event (for code that builds the Avro record itself). */
  public static RunSpec of(String runId, RunStarted started) {
    return new RunSpec(runId, RunStarted.newBuilder(Objects.requireNonNull(started)).build(), true);
  }

  public String runId() {
    return runId;
  }

  /** Whether the publisher adds the {@link RunEnvironment} when the run starts. */
  public boolean capturesEnvironment() {
    return captureEnvironment;
  }

  /** A copy of the start event this spec publishes (before any captured environment). */
  public RunStarted toRunStarted() {
    return RunStarted.newBuilder(started).build();
  }

  /** Collects a run's settings; {@link #build()} needs qubits, shots and a target. */
  public static final class Builder {
    private final String runId;
    private String experiment = DEFAULT_EXPERIMENT;
    private String modelType = DEFAULT_MODEL_TYPE;
    private String ansatz = UNKNOWN;
    private int repetitions;
    private Integer qubits;
    private Long shots;
    private String backend = UNKNOWN;
    private String noiseModel;
    private String optimizer = UNKNOWN;
    private final Map<String, String> optimizerSettings = new LinkedHashMap<>();
    private long seed;
    private String targetId;
    private String configId;
    private int repeatIndex;
    private final Map<String, String> params = new LinkedHashMap<>();
    private final Map<String, String> tags = new LinkedHashMap<>();
    private final Map<String, String> attachments = new LinkedHashMap<>();
    private boolean captureEnvironment = true;

    private Builder(String runId) {
      this.runId = runId;
    }

    public Builder experiment(String experiment) {
      this.experiment = experiment;
      return this;
    }

    /** born_machine, qgan, vqc, ... */
    public Builder modelType(String modelType) {
      this.modelType = modelType;
      return this;
    }

    public Builder ansatz(String ansatz) {
      this.ansatz = ansatz;
      return this;
    }

    public Builder repetitions(int repetitions) {
      this.repetitions = repetitions;
      return this;
    }

    public Builder qubits(int qubits) {
      this.qubits = qubits;
      return this;
    }

    public Builder shots(long shots) {
      this.shots = shots;
      return this;
    }

    /** The id of the target distribution (published on qgm.targets) the run is scored against. */
    public Builder target(String targetId) {
      this.targetId = targetId;
      return this;
    }

    public Builder backend(String backend) {
      this.backend = backend;
      return this;
    }

    public Builder noiseModel(String noiseModel) {
      this.noiseModel = noiseModel;
      return this;
    }

    public Builder optimizer(String optimizer) {
      this.optimizer = optimizer;
      return this;
    }

    public Builder optimizerSetting(String key, Object value) {
      optimizerSettings.put(key, String.valueOf(value));
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** The sweep configuration this run repeats, and which repeat it is. */
    public Builder config(String configId, int repeatIndex) {
      this.configId = configId;
      this.repeatIndex = repeatIndex;
      return this;
    }

    /**
     * How many epochs the loop would run (the start param {@code max_epochs}): the job's advice
     * counts the epochs and shots that stopping saves against it. Checked here (at least 1).
     */
    public Builder maxEpochs(int maxEpochs) {
      if (maxEpochs < 1) {
        throw new InvalidEventException("max_epochs", "must be >= 1, got " + maxEpochs);
      }
      return param("max_epochs", maxEpochs);
    }

    public Builder param(String key, Object value) {
      params.put(key, String.valueOf(value));
      return this;
    }

    public Builder tag(String key, Object value) {
      tags.put(key, String.valueOf(value));
      return this;
    }

    /**
     * A file of text to keep with the run ({@code name} a plain file name such as {@code
     * notes.txt}); the MLflow sink writes it as the artifact {@code run/<name>}.
     */
    public Builder attachment(String name, String text) {
      attachments.put(name, text);
      return this;
    }

    /** The circuit as OpenQASM (2 or 3), attached as {@value RunEnvironment#CIRCUIT_FILE}. */
    public Builder circuit(String openQasm) {
      return attachment(RunEnvironment.CIRCUIT_FILE, openQasm);
    }

    /**
     * Whether the publisher adds git, user, host and version tags and {@code environment.txt} when
     * the run starts (default true; a given circuit or attachment is sent either way).
     */
    public Builder captureEnvironment(boolean capture) {
      this.captureEnvironment = capture;
      return this;
    }

    /**
     * The spec.
     *
     * @throws InvalidEventException naming qubits, shots or target_id when one was not set
     */
    public RunSpec build() {
      if (qubits == null) {
        throw new InvalidEventException("qubits", "must be set");
      }
      if (shots == null) {
        throw new InvalidEventException("shots", "must be set");
      }
      if (targetId == null) {
        throw new InvalidEventException("target_id", "must be set");
      }
      return new RunSpec(
          runId,
          RunStarted.newBuilder()
              .setExperiment(experiment)
              .setModelType(modelType)
              .setAnsatz(ansatz)
              .setRepetitions(repetitions)
              .setQubits(qubits)
              .setShots(shots)
              .setBackend(backend)
              .setNoiseModel(noiseModel)
              .setOptimizer(optimizer)
              .setOptimizerSettings(new LinkedHashMap<>(optimizerSettings))
              .setSeed(seed)
              .setTargetId(targetId)
              .setConfigId(configId)
              .setRepeatIndex(repeatIndex)
              .setParams(new LinkedHashMap<>(params))
              .setTags(new LinkedHashMap<>(tags))
              .setAttachments(new LinkedHashMap<>(attachments))
              .build(),
          captureEnvironment);
    }
  }
}

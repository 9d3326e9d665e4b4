package io.qmon.producers.sdk;

import io.qmon.producers.train.EpochResult;
import io.qmon.schemas.Advice;
import io.qmon.schemas.LongArrayList;
import io.qmon.schemas.RunEvent;
import io.qmon.schemas.RunFinished;
import io.qmon.schemas.RunStarted;
import io.qmon.schemas.RunStatus;
import io.qmon.schemas.ShotCounts;
import io.qmon.schemas.StateSnapshot;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Publishes one run: its start (on creation), one event per epoch, optional state snapshots, its
 * end. Every event gets the run's next sequence number (0 for the start, then 1, 2, ... shared by
 * all of the run's events), so (producer_id, producer_session, seq) identifies each one. Each call
 * validates first and throws {@link InvalidEventException} naming the field; nothing is sent then
 * and the sequence does not advance. Calls are serialised, but one thread normally drives a run.
 *
 * <p>The run ends exactly once: {@link #finish} with a status, {@link #fail(Throwable)} on an
 * error, or {@link #close()} (SUCCEEDED) in try-with-resources; whichever comes first publishes the
 * end and the others do nothing.
 */
public final class RunPublisher implements AutoCloseable {
  /** Longest failure message {@link #fail(Throwable)} puts in the finish event. */
  static final int MAX_FAILURE_MESSAGE = 1000;

  private final QmonPublisher publisher;
  private final String runId;
  private final RunStarted started;
  private long nextSeq;
  private int lastEpoch = -1;
  private int lastStateEpoch = -1;
  private int epochs;
  private boolean finished;
  private CompletableFuture<RecordMetadata> finishResult;
  private final long startedMillis = System.currentTimeMillis();
  private final RunAdvice advice;
  private AutoCloseable adviceReader;

  /** How far before the run's start its advice reader begins, for clocks that disagree a little. */
  static final long ADVICE_START_MARGIN_MS = 60_000;

  private RunPublisher(QmonPublisher publisher, String runId, RunStarted started) {
    this.publisher = publisher;
    this.runId = runId;
    this.started = started;
    this.advice = new RunAdvice(runId);
  }

  /**
   * The advice the job published on qgm.advice for this run so far, oldest first: at most one
   * record of each kind (CONVERGED_AT_NOISE_FLOOR, PLATEAU, BARREN_PLATEAU, DIVERGING, COLLAPSED)
   * with its evidence. The first call starts the run's reader; it is closed when the run ends.
   */
  public List<Advice> advice() {
    startAdvice();
    return advice.advice();
  }

  /** Whether any advice so far says stop (every kind but PLATEAU); starts the reader. */
  public boolean shouldStop() {
    startAdvice();
    return advice.shouldStop();
  }

  /** Calls {@code listener} on the reader's thread with every advice record of this run. */
  public void onAdvice(java.util.function.Consumer<Advice> listener) {
    advice.onAdvice(listener);
    startAdvice();
  }

  /** Waits up to {@code timeout} for advice that says stop; returns whether it came. */
  public boolean awaitStop(java.time.Duration timeout) throws InterruptedException {
    startAdvice();
    return advice.await(Advice::getStop, timeout);
  }

  private synchronized void startAdvice() {
    if (adviceReader == null && !finished) {
      adviceReader = publisher.startAdviceReader(advice, startedMillis - ADVICE_START_MARGIN_MS);
    }
  }

  private void closeAdvice() {
    if (adviceReader != null) {
      try {
        adviceReader.close();
      } catch (Exception e) {
        throw new IllegalStateException("closing the advice reader of run " + runId, e);
      } finally {
        adviceReader = null;
      }
    }
  }

  static RunPublisher start(QmonPublisher publisher, String runId, RunStarted started) {
    RunPublisher run = new RunPublisher(publisher, runId, started);
    publisher.send(run.lifecycle(started));
    return run;
  }

  public String runId() {
    return runId;
  }

  public RunStarted started() {
    return started;
  }

  /** The sequence number the next event of this run will carry. */
  public synchronized long nextSeq() {
    return nextSeq;
  }

  /** Epochs published so far. */
  public synchronized int epochs() {
    return epochs;
  }

  /**
   * Publishes one epoch's sparse shot counts: {@code counts[i]} shots gave {@code outcomes[i]}
   * (qubit 0 = least significant bit). Zero counts may be left out.
   *
   * @return completes when Kafka acknowledges the event, or exceptionally with a {@link
   *     PublishException}
   * @throws InvalidEventException naming the field: epochs must increase, counts be ≥ 0 and sum to
   *     the run's shots, outcomes be distinct and below 2^qubits, losses be finite
   */
  public synchronized CompletableFuture<RecordMetadata> publishEpoch(
      int epoch, long[] outcomes, long[] counts, Map<String, Double> losses) {
    checkOpen();
    EventChecks.checkEpoch(
        epoch, lastEpoch, started.getQubits(), started.getShots(), outcomes, counts, losses);
    ShotCounts event =
        ShotCounts.newBuilder()
            .setRunId(runId)
            .setProducerId(publisher.producerId())
            .setProducerSession(publisher.producerSession())
            .setSeq(nextSeq)
            .setEpoch(epoch)
            .setEventTime(Instant.now())
            .setQubits(started.getQubits())
            .setShots(started.getShots())
            .setOutcomes(LongArrayList.copyOf(outcomes))
            .setCounts(LongArrayList.copyOf(counts))
            .setLosses(losses == null ? Map.of() : losses)
            .build();
    CompletableFuture<RecordMetadata> result = publisher.send(event);
    nextSeq++;
    lastEpoch = epoch;
    epochs++;
    return result;
  }

  /** Publishes a trainer's epoch. */
  public CompletableFuture<RecordMetadata> publishEpoch(EpochResult epoch) {
    return publishEpoch(epoch.epoch(), epoch.outcomes(), epoch.counts(), epoch.losses());
  }

  /**
   * Publishes a statevector snapshot on {@code qgm.states}: 2^qubits amplitudes (at most 20
   * qubits), squared norm 1 within 1e-6, snapshot epochs increasing.
   */
  public synchronized CompletableFuture<RecordMetadata> publishState(
      int epoch, double[] amplitudesRe, double[] amplitudesIm) {
    checkOpen();
    EventChecks.checkState(epoch, lastStateEpoch, started.getQubits(), amplitudesRe, amplitudesIm);
    StateSnapshot event =
        StateSnapshot.newBuilder()
            .setRunId(runId)
            .setProducerId(publisher.producerId())
            .setProducerSession(publisher.producerSession())
            .setSeq(nextSeq)
            .setEpoch(epoch)
            .setEventTime(Instant.now())
            .setQubits(started.getQubits())
            .setAmplitudesRe(DoubleList.of(amplitudesRe))
            .setAmplitudesIm(DoubleList.of(amplitudesIm))
            .build();
    CompletableFuture<RecordMetadata> result = publisher.send(event);
    nextSeq++;
    lastStateEpoch = epoch;
    return result;
  }

  /**
   * Publishes the run's end with the number of epochs published. Once the run has ended this does
   * nothing and returns the first end's future.
   */
  public synchronized CompletableFuture<RecordMetadata> finish(RunStatus status, String message) {
    if (status == null) {
      throw new InvalidEventException("status", "must not be null");
    }
    if (finished) {
      return finishResult;
    }
    try {
      finishResult =
          publisher.send(
              lifecycle(
                  RunFinished.newBuilder()
                      .setStatus(status)
                      .setEpochs(epochs)
                      .setMessage(message)
                      .build()));
    } finally {
      closeAdvice();
    }
    finished = true;
    return finishResult;
  }

  /**
   * Ends the run because of {@code error}: KILLED for an {@link InterruptedException}, FAILED
   * otherwise, with the error's class and message (at most {@value #MAX_FAILURE_MESSAGE} chars).
   */
  public CompletableFuture<RecordMetadata> fail(Throwable error) {
    RunStatus status = error instanceof InterruptedException ? RunStatus.KILLED : RunStatus.FAILED;
    String text = String.valueOf(error);
    if (text.length() > MAX_FAILURE_MESSAGE) {
      text = text.substring(0, MAX_FAILURE_MESSAGE - 1) + "…";
    }
    return finish(status, text);
  }

  /** Whether the run's end was published. */
  public synchronized boolean isFinished() {
    return finished;
  }

  /** Finishes the run as SUCCEEDED unless it has already ended. */
  @Override
  public void close() {
    finish(RunStatus.SUCCEEDED, null);
  }

  private void checkOpen() {
    if (finished) {
      throw new IllegalStateException("run " + runId + " is finished; nothing more can be sent");
    }
  }

  private RunEvent lifecycle(Object payload) {
    return RunEvent.newBuilder()
        .setRunId(runId)
        .setProducerId(publisher.producerId())
        .setProducerSession(publisher.producerSession())
        .setSeq(nextSeq++)
        .setEventTime(Instant.now())
        .setPayload(payload)
        .build();
  }
}

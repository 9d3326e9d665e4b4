package io.qmon.jobs.runs;

import io.qmon.jobs.emit.RunRecords;
import io.qmon.jobs.records.InputEvent;
import io.qmon.jobs.score.EpochScorer;
import io.qmon.jobs.score.Histograms;
import io.qmon.schemas.Alert;
import io.qmon.schemas.Histogram;
import io.qmon.schemas.RunCloseStatus;
import io.qmon.schemas.RunFinished;
import io.qmon.schemas.RunStarted;
import io.qmon.schemas.TargetDistribution;
import io.qmon.schemas.validation.ErrorType;
import io.qmon.schemas.validation.Rejection;
import java.time.Instant;
import java.util.HashMap;

/**
 * The life of a run, as plain decisions: dedup per (producer, session, topic), lateness per run,
 * open ({@code RUN_OPENED}), pending epochs and snapshots, scoring guards, summary, close ({@code
 * RUN_CLOSED} with status and histogram), the stall watchdog and the memory of closed runs. Like
 * {@code State.transition} of Flink's state-machine example it only reads the run's current state
 * and an input and says what follows ({@link Decisions}); the Flink operator ({@link ScoreEpochs})
 * reads and writes keyed state, timers and outputs accordingly. No Flink here: the current time is
 * an argument, so tests move a clock instead of sleeping.
 *
 * <p>Run lifecycle and shot events come from two topics, so they can overtake each other: a shot
 * event may come before its run's start or target (it waits, at most {@code maxPending} per run),
 * and a run's end may come before its last epochs (the run stays open until it has scored as many
 * epochs as the end announced). Whatever still waits after {@code pendingTimeoutMs} is refused, and
 * a finished run is then closed. A waiting event keeps where it was read, so whatever refuses it
 * later (the timeout, its target, the run's stall) names its source position as a refusal on
 * arrival does. A closed run leaves no keyed state; {@link ClosedRuns} names events that come after
 * it.
 *
 * <p>Both timeouts count only time this lifecycle was active: a timer that fires after a restore
 * (the job was down, then resumed from a checkpoint) measures from the later of the run's own
 * moment (last event, start of waiting) and {@code activeSince}, and is armed again when that is
 * less than the timeout ago. Otherwise every open run would be closed as stalled, and every waiting
 * event refused, the moment the job came back from an outage longer than the timeout, although
 * their producers publish again.
 *
 * <p>One event's bad data costs that event only: scoring failures are refused as {@value
 * ErrorType#SCORING_FAILED} before the run's state changes.
 *
 * <p>Not thread-safe: one instance per operator instance. Each call returns the same {@link
 * Decisions} object, valid until the next call.
 */
public final class RunLifecycle {
  /** Detector name of the stalled-run alert. */
  public static final String STALLED = RunRecords.STALLED;

  /**
   * State snapshots kept per run while its start or target is unknown: a snapshot holds up to
   * 2^job.max-state-qubits amplitudes (1 MiB at 16 qubits), so far fewer wait than shot events.
   */
  public static final int PENDING_STATES = 16;

  /** Where the lifecycle finds targets (the broadcast state, in the job). */
  @FunctionalInterface
  public interface Targets {
    /** The target with this id, or null when none arrived yet. */
    TargetDistribution get(String targetId);
  }

  private final RunSettings settings;
  private final ClosedRuns closedRuns;
  private final Decisions decisions = new Decisions();
  private final RunScoring scoring;
  private final long activeSince;

  /**
   * @param activeSince the processing time this lifecycle's operator instance started (opened after
   *     a start, restore or failover): time before it does not count against a run's timeouts
   */
  public RunLifecycle(
      RunSettings settings, EpochScorer scorer, ClosedRuns closedRuns, long activeSince) {
    this.settings = settings;
    this.closedRuns = closedRuns;
    this.scoring = new RunScoring(settings, scorer);
    this.activeSince = activeSince;
  }

  private static Object payload(InputEvent event) {
    if (event.shots != null) {
      return event.shots;
    }
    return event.state != null ? event.state : event.run;
  }

  /**
   * One run, shot or state event of a run.
   *
   * @param runId the run (the key)
   * @param run the run's state, or null when it has none
   * @param event a valid run, shot or state event of that run
   * @param highestSeq the highest sequence number seen under the event's {@link Dedup#key}, or null
   * @param targets the targets known now
   * @param pending the run's waiting events (read only when they can be scored or refused now)
   * @param now the current processing time, ms
   */
  public Decisions onEvent(
      String runId,
      RunState run,
      InputEvent event,
      Long highestSeq,
      Targets targets,
      Pending pending,
      long now) {
    Decisions d = decisions;
    d.reset();
    if (run == null) {
      Long closedAt = closedRuns.closedAt(runId);
      if (closedAt != null) {
        d.refuse(
            event,
            payload(event),
            new Rejection(
                ErrorType.RUN_CLOSED,
                "run "
                    + runId
                    + " was closed at "
                    + Instant.ofEpochMilli(closedAt)
                    + " (finished with every announced epoch scored, timed out or stalled);"
                    + " events after its end are not scored"));
        return d;
      }
      run = new RunState();
    }
    long seq = Dedup.sequence(event);
    if (highestSeq != null && seq <= highestSeq) {
      d.duplicate();
      return d;
    }
    if (event.run == null && isLate(run, event.eventTimeMillis(), event, d)) {
      return d;
    }
    d.mark(Dedup.key(event), seq);
    watchForStall(run, now);
    if (event.run == null) {
      // Only shot and state events: a run's finish comes on another topic and may be read minutes
      // before epochs published earlier (a producer that buffered through a broker outage, a job
      // catching up after a restore); its later time must not make those epochs late.
      run.latestEventTime = Math.max(run.latestEventTime, event.eventTimeMillis());
    }
    RunStarted start = run.started;
    TargetDistribution target = start == null ? null : targets.get(start.getTargetId());
    boolean open = true;
    if (event.shots != null) {
      if (target == null) {
        buffer(run, event, d);
        armDeadline(run, now, d);
      } else {
        scoring.epoch(run, event, event.shots, target, now, d);
        open = !closeIfComplete(run, runId, target, now, d);
      }
    } else if (event.state != null) {
      if (target == null) {
        bufferState(run, event, d);
        armDeadline(run, now, d);
      } else {
        scoring.state(run, event, event.state, target, now, d);
      }
    } else if (event.run.getPayload() instanceof RunStarted newStart) {
      d.emit(RunRecords.opened(runId, newStart, event.eventTimeMillis(), now));
      // Attachments (up to 256 KiB) travel once, on RUN_OPENED; keyed state keeps the start
      // without them, so an open run costs its state no more than before.
      run.started =
          newStart.getAttachments().isEmpty()
              ? newStart
              : RunStarted.newBuilder(newStart).setAttachments(new HashMap<>()).build();
      open = !flushPending(run, runId, targets.get(newStart.getTargetId()), pending, now, d);
    } else if (event.run.getPayload() instanceof RunFinished end) {
      run.finished = end;
      open = !closeIfComplete(run, runId, target, now, d);
      if (open) {
        armDeadline(run, now, d);
      }
    }
    if (open) {
      d.update(run);
    }
    return d;
  }

  /**
   * A target arrived or changed: scores the run's waiting events if they waited for it.
   *
   * @param run the run's state (not null)
   */
  public Decisions onTarget(
      String runId, RunState run, TargetDistribution target, Pending pending, long now) {
    Decisions d = decisions;
    d.reset();
    if ((run.pending > 0 || run.pendingStates > 0)
        && run.started != null
        && run.started.getTargetId().equals(target.getTargetId())
        && !flushPending(run, runId, target, pending, now, d)) {
      d.update(run);
    }
    return d;
  }

  /**
   * A processing-time timer of the run fired: the pending deadline or the stall check.
   *
   * @param run the run's state, or null (a timer left behind by a closed run does nothing)
   * @param timestamp the timer's time
   * @param now the current processing time, ms: later than {@code timestamp} when the timer was due
   *     while the job was down
   */
  public Decisions onTimer(
      String runId, RunState run, long timestamp, long now, Targets targets, Pending pending) {
    Decisions d = decisions;
    d.reset();
    if (run == null) {
      return d;
    }
    if (run.pendingDeadline == timestamp) {
      long later =
          notYetDue(timestamp - settings.pendingTimeoutMs(), settings.pendingTimeoutMs(), now);
      run.pendingDeadline = later;
      if (later != RunState.NONE) {
        d.arm(later);
      } else {
        String waitingFor =
            run.started == null ? "its run-start event" : "target " + run.started.getTargetId();
        rejectPending(
            run,
            pending,
            new Rejection(
                ErrorType.PENDING_TIMEOUT,
                "waited "
                    + settings.pendingTimeoutMs()
                    + " ms for "
                    + waitingFor
                    + "; the event could not be scored"),
            d);
        if (run.finished != null) {
          close(
              run,
              runId,
              now,
              targetOf(run, targets),
              RunCloseStatus.TIMED_OUT,
              "the run finished announcing "
                  + run.finished.getEpochs()
                  + " epochs; "
                  + run.scored
                  + " were scored within job.pending-timeout-ms = "
                  + settings.pendingTimeoutMs()
                  + " ms",
              d);
          return d;
        }
      }
    }
    if (run.stallCheck == timestamp) {
      // Every event sets lastSeen before it can arm this check.
      long silentSince = run.lastSeen;
      long later = notYetDue(silentSince, settings.stallTimeoutMs(), now);
      run.stallCheck = later;
      if (later != RunState.NONE) {
        d.arm(later);
      } else {
        Alert alert =
            RunRecords.stalled(
                runId,
                run.started,
                run.summary == null ? 0 : run.summary.lastEpoch(),
                silentSince,
                now,
                settings.stallTimeoutMs());
        d.alert(alert);
        rejectPending(
            run,
            pending,
            new Rejection(
                ErrorType.RUN_STALLED, "run went silent before this event could be scored"),
            d);
        close(
            run, runId, now, targetOf(run, targets), RunCloseStatus.STALLED, alert.getReason(), d);
        return d;
      }
    }
    d.update(run);
    return d;
  }

  /**
   * Whether a timeout that started at {@code since} has passed at {@code now}, counting only time
   * since {@link #activeSince}.
   *
   * @return {@link RunState#NONE} when it has passed, else the processing time it will have
   */
  private long notYetDue(long since, long timeoutMs, long now) {
    long due = Math.max(since, activeSince) + timeoutMs;
    return now >= due ? RunState.NONE : due;
  }

  /**
   * Lateness per run: an event far behind its own run's latest event time is refused. Judging it
   * against the shared watermark would let one producer's fast clock make every other run late. The
   * refused event changes nothing, so a run whose clock is off by a constant offset is scored in
   * its own order.
   */
  private boolean isLate(RunState run, long eventTime, InputEvent event, Decisions d) {
    long latest = run.latestEventTime;
    if (latest == Long.MIN_VALUE || eventTime >= latest) {
      return false;
    }
    long behind = latest - eventTime;
    // A negative difference overflowed: the event is further behind than any bound.
    if (behind >= 0 && behind <= settings.allowedLatenessMs()) {
      return false;
    }
    d.refuse(
        event,
        payload(event),
        new Rejection(
            ErrorType.LATE_EVENT,
            "event_time",
            "event_time "
                + Instant.ofEpochMilli(eventTime)
                + " is "
                + (behind < 0 ? "more than " + Long.MAX_VALUE : behind)
                + " ms behind the latest event time of run "
                + event.runId()
                + " ("
                + Instant.ofEpochMilli(latest)
                + "); job.allowed-lateness-ms = "
                + settings.allowedLatenessMs()));
    return true;
  }

  private void watchForStall(RunState run, long now) {
    run.lastSeen = now;
    if (run.stallCheck == RunState.NONE) {
      long due = now + settings.stallTimeoutMs();
      decisions.arm(due);
      run.stallCheck = due;
    }
  }

  private void buffer(RunState run, InputEvent event, Decisions d) {
    int count = run.pending;
    if (count >= settings.maxPending()) {
      d.refuse(
          event,
          event.shots,
          new Rejection(
              ErrorType.PENDING_OVERFLOW,
              "run "
                  + event.shots.getRunId()
                  + " already has "
                  + count
                  + " epochs waiting for its start event or target; limit is"
                  + " job.max-pending-shots = "
                  + settings.maxPending()));
      return;
    }
    d.pendShots(event);
    run.pending = count + 1;
  }

  private void bufferState(RunState run, InputEvent event, Decisions d) {
    int count = run.pendingStates;
    if (count >= PENDING_STATES) {
      d.refuse(
          event,
          event.state,
          new Rejection(
              ErrorType.PENDING_OVERFLOW,
              "run "
                  + event.state.getRunId()
                  + " already has "
                  + count
                  + " state snapshots waiting for its start event or target; limit is "
                  + PENDING_STATES));
      return;
    }
    d.pendState(event);
    run.pendingStates = count + 1;
  }

  private void armDeadline(RunState run, long now, Decisions d) {
    if (run.pendingDeadline == RunState.NONE) {
      long due = now + settings.pendingTimeoutMs();
      d.arm(due);
      run.pendingDeadline = due;
    }
  }

  /**
   * Scores what waited for the run's start or target, once both are known.
   *
   * @return true when that completed the run, which is then closed
   */
  private boolean flushPending(
      RunState run,
      String runId,
      TargetDistribution target,
      Pending pending,
      long now,
      Decisions d) {
    if (target == null || (run.pending == 0 && run.pendingStates == 0)) {
      return false;
    }
    if (run.pending > 0) {
      for (InputEvent waiting : pending.shots()) {
        scoring.epoch(run, waiting, waiting.shots, target, now, d);
      }
    }
    if (run.pendingStates > 0) {
      for (InputEvent waiting : pending.states()) {
        scoring.state(run, waiting, waiting.state, target, now, d);
      }
    }
    d.clearPending();
    run.pending = 0;
    run.pendingStates = 0;
    return closeIfComplete(run, runId, target, now, d);
  }

  /**
   * After an unexpected failure inside this lifecycle (caught by the operator, which dead-letters
   * the event as {@code SCORING_FAILED}): re-arms the timers the run's state names (registering a
   * timer twice is harmless) and writes the state back, so the stall watchdog and the pending
   * deadline still close the run. The scoring paths catch their own failures before changing state.
   *
   * @param run the run's state as the backend now holds it, or null
   */
  public Decisions recover(RunState run) {
    Decisions d = decisions;
    d.reset();
    if (run == null) {
      return d;
    }
    if (run.pendingDeadline != RunState.NONE) {
      d.arm(run.pendingDeadline);
    }
    if (run.stallCheck != RunState.NONE) {
      d.arm(run.stallCheck);
    }
    d.update(run);
    return d;
  }

  /**
   * Closes the run once its end has come and every epoch it announced has been scored.
   *
   * @return true when the run was closed
   */
  private boolean closeIfComplete(
      RunState run, String runId, TargetDistribution target, long now, Decisions d) {
    if (run.finished == null
        || run.scored < run.finished.getEpochs()
        || run.pending > 0
        || run.pendingStates > 0) {
      return false;
    }
    close(
        run,
        runId,
        now,
        target,
        RunCloseStatus.valueOf(run.finished.getStatus().name()),
        run.finished.getMessage(),
        d);
    return true;
  }

  /**
   * Emits the run-closed record (when the run had started), cancels the run's timers and clears its
   * state.
   *
   * @param target the run's target, or null when unknown (the record then has no histogram)
   */
  private void close(
      RunState run,
      String runId,
      long now,
      TargetDistribution target,
      RunCloseStatus status,
      String message,
      Decisions d) {
    if (run.pendingDeadline != RunState.NONE) {
      d.cancel(run.pendingDeadline);
    }
    if (run.stallCheck != RunState.NONE) {
      d.cancel(run.stallCheck);
    }
    if (run.started != null) {
      Histogram histogram =
          run.lastShots == null || target == null
              ? null
              : Histograms.of(run.lastShots, target, settings.histogramMaxOutcomes());
      long eventTime = run.latestEventTime == Long.MIN_VALUE ? now : run.latestEventTime;
      d.emit(
          RunRecords.closed(
              runId, run.started, run.summary, status, message, histogram, eventTime, now));
    }
    d.clear();
    closedRuns.remember(runId, now);
  }

  private void rejectPending(RunState run, Pending pending, Rejection rejection, Decisions d) {
    if (run.pending == 0 && run.pendingStates == 0) {
      return;
    }
    if (run.pending > 0) {
      for (InputEvent waiting : pending.shots()) {
        d.refuse(waiting, waiting.shots, rejection);
      }
    }
    if (run.pendingStates > 0) {
      for (InputEvent waiting : pending.states()) {
        d.refuse(waiting, waiting.state, rejection);
      }
    }
    d.clearPending();
    run.pending = 0;
    run.pendingStates = 0;
  }

  private static TargetDistribution targetOf(RunState run, Targets targets) {
    return run.started == null ? null : targets.get(run.started.getTargetId());
  }
}

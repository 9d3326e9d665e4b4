package io.qmon.launcher.demo;

import io.qmon.producers.sdk.QmonPublisher;
import io.qmon.producers.sim.Entanglement;
import io.qmon.producers.train.Loss;
import io.qmon.producers.train.Target;
import io.qmon.producers.worker.ModelSpec;
import io.qmon.producers.worker.SimulatedRun;
import io.qmon.producers.worker.SimulatedRunSpec;
import io.qmon.producers.worker.TargetEvents;
import io.qmon.schemas.ShotCounts;
import io.qmon.schemas.Topics;
import io.qmon.schemas.serde.ConfluentAvroSerde;
import io.qmon.schemas.serde.SchemaRegistry;
import io.qmon.stack.EmbeddedMlflow;
import io.qmon.stack.EmbeddedStack;
import io.qmon.stack.JobWatcher;
import io.qmon.stack.StackLock;
import io.qmon.stack.StackPorts;
import io.qmon.stack.StackSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code qmon demo}: the whole platform on this machine. Starts the embedded stack and the
 * monitoring job, trains several real (simulated) Born machines at once, one of them with a mode
 * collapse injected half-way, while a live table shows their metrics and marks alerts as they fire
 * and advice as it comes, sends two malformed events to show the dead-letter path, then prints a
 * summary. Ctrl-C stops everything cleanly. If the monitoring job fails, the demo says so (the
 * cause and where the logs are) and exits with status 1.
 */
public final class DemoCommand {
  private static final Entanglement[] ENTANGLEMENTS = {
    Entanglement.LINEAR, Entanglement.CIRCULAR, Entanglement.FULL, Entanglement.REVERSE_LINEAR
  };

  /** Exit status when the monitoring job failed. */
  static final int JOB_FAILED = 1;

  /** How many malformed events the demo's faulty worker sends. */
  static final int MALFORMED_EVENTS = 2;

  /** Repeats of each sweep configuration among the healthy runs. */
  static final int REPEATS = 2;

  /** The experiment of the demo's runs (and of its sweep) in MLflow. */
  static final String EXPERIMENT = "qmon-demo";

  /** How long the demo waits for the job's last records, then for MLflow to hold them. */
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(60);

  private DemoCommand() {}

  public static int run(DemoOptions options, PrintStream out) throws Exception {
    long startNanos = System.nanoTime();
    Thread main = Thread.currentThread();
    CountDownLatch cleanedUp = new CountDownLatch(1);
    Thread interruptOnCtrlC =
        new Thread(
            () -> {
              main.interrupt();
              try {
                cleanedUp.await(60, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "qmon-demo-shutdown");
    Runtime.getRuntime().addShutdownHook(interruptOnCtrlC);
    try {
      return runStack(options, out, startNanos);
    } catch (InterruptedException e) {
      out.println();
      out.println("qmon demo: interrupted; everything is stopped.");
      return 130;
    } catch (JobFailed e) {
      out.println();
      out.flush();
      System.err.println(JobWatcher.failureReport("qmon demo", e.reason, e.logDir));
      return JOB_FAILED;
    } finally {
      cleanedUp.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(interruptOnCtrlC);
      } catch (IllegalStateException shuttingDown) {
        // The JVM is already running its hooks (Ctrl-C): the hook is waiting for us, nothing to do.
      }
    }
  }

  private static int runStack(DemoOptions options, PrintStream out, long startNanos)
      throws Exception {
    out.println(
        "qmon demo: starting the embedded stack (KRaft Kafka broker, schema registry, Flink"
            + " MiniCluster) on 127.0.0.1 ...");
    StackSettings settings = StackSettings.fromSystemProperties(true);
    if (options.fresh()) {
      settings = settings.withFreshState();
    }
    // Before MLflow: a demo on the home of a running stack must fail here, not after its MLflow
    // start has stopped that stack's MLflow server (named by the same pid file).
    StackLock lock = StackLock.acquire(settings);
    CompletableFuture<Optional<EmbeddedMlflow>> mlflow =
        DemoSinks.startMlflowInBackground(settings);
    EmbeddedStack started;
    try {
      started = EmbeddedStack.start(settings, StackPorts.FREE, lock);
    } catch (RuntimeException | IOException e) {
      mlflow.thenAccept(server -> server.ifPresent(EmbeddedMlflow::close));
      throw e;
    }
    try (EmbeddedStack stack = started) {
      double stackSeconds = seconds(System.nanoTime() - startNanos);
      out.printf(
          "  kafka %s, schema registry %s (up in %.1f s; logs in %s)%n",
          stack.bootstrapServers(), stack.schemaRegistryUrl(), stackSeconds, settings.logDir());
      JobWatcher job = JobWatcher.watch(stack.startMonitoringJob(stack.jobConfig(Map.of())));
      out.println("  monitoring job started from " + stack.startedFrom().orElse("?"));
      SchemaRegistry registry = stack.schemaRegistry();
      try (DemoSinks sinks = DemoSinks.start(stack, settings, awaitMlflow(mlflow), out);
          OutputTail tail = new OutputTail(stack.bootstrapServers(), registry)) {
        Thread tailThread = new Thread(tail, "qmon-demo-tail");
        tailThread.setDaemon(true);
        tailThread.start();
        List<SimulatedRunSpec> specs = specs(options);
        SimulatedRunSpec faulty = specs.get(specs.size() - 1);
        FaultyRun fault = new FaultyRun(faulty, Math.max(2, options.epochs() / 2));
        int published = train(stack, job, specs, fault, options, tail, out, startNanos);
        awaitAllScored(job, tail, published);
        awaitSweeps(job, tail, Summary.sweepRepeats(specs));
        sinks.awaitMlflow(DRAIN_TIMEOUT, out);
        LiveTable.render(tail, specs, out, !options.plain(), startNanos);
        return Summary.print(
            tail, specs, faulty.runId(), fault.faultEpoch(), published, startNanos, out);
      } catch (JobWatcher.JobEndedException e) {
        throw new JobFailed(e.reason(), settings.logDir());
      }
    }
  }

  /** The monitoring job ended while the demo ran: carried out of the stack's try block. */
  private static final class JobFailed extends Exception {
    private static final long serialVersionUID = 1L;
    private final String reason;
    private final transient java.nio.file.Path logDir;

    JobFailed(String reason, java.nio.file.Path logDir) {
      super(reason);
      this.reason = reason;
      this.logDir = logDir;
    }
  }

  private static Optional<EmbeddedMlflow> awaitMlflow(
      CompletableFuture<Optional<EmbeddedMlflow>> mlflow) throws InterruptedException {
    try {
      return mlflow.get();
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("The local MLflow server did not start: " + e.getCause(), e);
    }
  }

  /**
   * The healthy runs, then one more (3 qubits) that gets an injected fault. The healthy runs are a
   * small sweep: consecutive pairs repeat one configuration (qubits and entanglement) with
   * different seeds, so the job aggregates them on qgm.sweeps (μ, σ, 95% CI, rank) and MLflow shows
   * the statistics on each configuration's parent run. The configuration ids carry the session, so
   * a later demo on the same persisted state starts new configurations instead of adding repeats to
   * this one's. The faulty run is in no configuration: its collapse is not a property of a
   * configuration.
   */
  static List<SimulatedRunSpec> specs(DemoOptions options) {
    String session = UUID.randomUUID().toString().substring(0, 6);
    List<SimulatedRunSpec> specs = new ArrayList<>();
    for (int i = 0; i <= options.runs(); i++) {
      boolean faulty = i == options.runs();
      int configuration = i / REPEATS;
      int qubits = faulty ? 3 : 3 + configuration % 4;
      Entanglement entanglement = ENTANGLEMENTS[(configuration / 4) % ENTANGLEMENTS.length];
      String configId =
          faulty
              ? null
              : "demo-" + session + "-" + qubits + "q-" + entanglement.name().toLowerCase();
      specs.add(
          new SimulatedRunSpec(
              "demo-" + session + "-" + qubits + "q-" + (faulty ? "fault" : Integer.toString(i)),
              EXPERIMENT,
              qubits,
              ModelSpec.bornMachine(2, entanglement, Loss.JSD),
              options.shots(),
              options.epochs(),
              1000 + i,
              options.epochIntervalMs(),
              configId,
              faulty ? 0 : i % REPEATS));
    }
    return specs;
  }

  /** Trains every run in its own thread while the table refreshes; returns epochs published. */
  private static int train(
      EmbeddedStack stack,
      JobWatcher job,
      List<SimulatedRunSpec> specs,
      FaultyRun fault,
      DemoOptions options,
      OutputTail tail,
      PrintStream out,
      long startNanos)
      throws Exception {
    ExecutorService workers = Executors.newFixedThreadPool(specs.size());
    try (QmonPublisher publisher =
        QmonPublisher.builder()
            .bootstrapServers(stack.bootstrapServers())
            .schemaRegistry(stack.schemaRegistry())
            .producerId("qmon-demo-" + ProcessHandle.current().pid())
            .build()) {
      for (int qubits : new TreeSet<>(specs.stream().map(SimulatedRunSpec::qubits).toList())) {
        publisher.publishTarget(
            TargetEvents.toEvent(
                TargetEvents.standardNormalId(qubits), Target.standardNormal(qubits)));
      }
      List<Future<Integer>> runs = new ArrayList<>();
      for (SimulatedRunSpec spec : specs.subList(0, specs.size() - 1)) {
        runs.add(workers.submit(() -> new SimulatedRun(spec).trainAndPublish(publisher)));
      }
      runs.add(workers.submit(() -> fault.trainAndPublish(publisher)));
      sendMalformedEvents(stack, specs.get(0));
      try {
        while (!runs.stream().allMatch(Future::isDone)) {
          job.check();
          LiveTable.render(tail, specs, out, !options.plain(), startNanos);
          Thread.sleep(options.plain() ? 10_000 : 1_000);
        }
      } finally {
        workers.shutdownNow();
        workers.awaitTermination(30, TimeUnit.SECONDS);
      }
      int published = 0;
      for (Future<Integer> run : runs) {
        published += run.get();
      }
      publisher.flush();
      return published;
    }
  }

  /**
   * A faulty worker: one record that is not Avro at all and one whose counts do not sum to its
   * shots. Both must reach the dead-letter topic with their reasons; nothing else changes.
   */
  private static void sendMalformedEvents(EmbeddedStack stack, SimulatedRunSpec spec) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    ShotCounts inconsistent =
        ShotCounts.newBuilder()
            .setRunId(spec.runId() + "-faulty")
            .setProducerId("faulty-worker")
            .setSeq(0)
            .setEpoch(1)
            .setEventTime(Instant.now())
            .setQubits(spec.qubits())
            .setShots(spec.shots())
            .setOutcomes(List.of(0L, 1L))
            .setCounts(List.of(1L, 1L))
            .build();
    byte[] inconsistentBytes =
        new ConfluentAvroSerde<ShotCounts>(stack.schemaRegistry(), ShotCounts.SCHEMA$)
            .serialize(Topics.SHOTS, inconsistent);
    byte[] key = inconsistent.getRunId().getBytes(StandardCharsets.UTF_8);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(
          new ProducerRecord<>(
              Topics.SHOTS, key, "{\"not\": \"avro\"}".getBytes(StandardCharsets.UTF_8)));
      producer.send(new ProducerRecord<>(Topics.SHOTS, key, inconsistentBytes));
      producer.flush();
    }
  }

  private static void awaitAllScored(JobWatcher job, OutputTail tail, int published)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while ((tail.metricRecords() < published || tail.deadLetterCount() < MALFORMED_EVENTS)
        && System.nanoTime() < deadline) {
      job.check();
      Thread.sleep(100);
    }
  }

  /**
   * Waits until the job published every sweep configuration with all its repeats aggregated; the
   * summary reports any that did not arrive.
   */
  private static void awaitSweeps(JobWatcher job, OutputTail tail, Map<String, Integer> repeats)
      throws InterruptedException {
    long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
    while ((!Summary.missingSweeps(tail, repeats).isEmpty()
            || !Summary.rankingSettled(tail.sweeps(), repeats))
        && System.nanoTime() < deadline) {
      job.check();
      Thread.sleep(100);
    }
  }

  static double seconds(long nanos) {
    return nanos / 1e9;
  }
}

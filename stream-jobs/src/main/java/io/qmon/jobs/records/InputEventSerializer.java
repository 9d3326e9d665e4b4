package io.qmon.jobs.records;

import io.qmon.schemas.DeadLetter;
import io.qmon.schemas.LongArrayList;
import io.qmon.schemas.RunEvent;
import io.qmon.schemas.ShotCounts;
import io.qmon.schemas.StateSnapshot;
import io.qmon.schemas.TargetDistribution;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.formats.avro.typeutils.AvroSerializer;
import org.apache.flink.types.StringValue;

/**
 * Serializes {@link InputEvent}s between operators and into state.
 *
 * <p>Shot events are almost all of the traffic across the job's key-by shuffle, so their fields are
 * written by hand: primitives and length-prefixed arrays, no schema resolution and no reflection.
 * The rare run events, state snapshots, targets and dead letters go through Flink's Avro
 * serializer. The field list of {@link ShotCounts} is pinned by a test, so a schema change cannot
 * silently drop a field here.
 */
public final class InputEventSerializer extends TypeSerializer<InputEvent> {
  private static final long serialVersionUID = 1L;

  private static final byte SHOTS = 0;
  private static final byte RUN = 1;
  private static final byte TARGET = 2;
  private static final byte REJECTED = 3;
  private static final byte STATE = 4;

  private transient AvroSerializer<RunEvent> runs;
  private transient AvroSerializer<TargetDistribution> targets;
  private transient AvroSerializer<DeadLetter> deadLetters;
  private transient AvroSerializer<StateSnapshot> states;

  @Override
  public boolean isImmutableType() {
    return false;
  }

  @Override
  public TypeSerializer<InputEvent> duplicate() {
    // The Avro serializers keep per-thread encoders: every user gets its own instance.
    return new InputEventSerializer();
  }

  @Override
  public InputEvent createInstance() {
    return new InputEvent();
  }

  @Override
  public InputEvent copy(InputEvent from) {
    InputEvent copy = new InputEvent();
    if (from.shots != null) {
      copy.shots = ShotCounts.newBuilder(from.shots).build();
    }
    if (from.run != null) {
      copy.run = runs().copy(from.run);
    }
    if (from.state != null) {
      copy.state = states().copy(from.state);
    }
    if (from.target != null) {
      copy.target = targets().copy(from.target);
    }
    if (from.rejected != null) {
      copy.rejected = deadLetters().copy(from.rejected);
    }
    return copy.from(from.sourceTopic, from.sourcePartition, from.sourceOffset);
  }

  @Override
  public InputEvent copy(InputEvent from, InputEvent reuse) {
    return copy(from);
  }

  @Override
  public int getLength() {
    return -1;
  }

  @Override
  public void serialize(InputEvent event, DataOutputView out) throws IOException {
    if (event.shots != null) {
      out.writeByte(SHOTS);
      writeShots(event.shots, out);
    } else if (event.run != null) {
      out.writeByte(RUN);
      runs().serialize(event.run, out);
    } else if (event.state != null) {
      out.writeByte(STATE);
      states().serialize(event.state, out);
    } else if (event.target != null) {
      out.writeByte(TARGET);
      targets().serialize(event.target, out);
    } else if (event.rejected != null) {
      out.writeByte(REJECTED);
      deadLetters().serialize(event.rejected, out);
    } else {
      throw new IllegalArgumentException("An InputEvent must hold one event: " + event);
    }
    StringValue.writeString(event.sourceTopic, out);
    out.writeInt(event.sourcePartition);
    out.writeLong(event.sourceOffset);
  }

  @Override
  public InputEvent deserialize(DataInputView in) throws IOException {
    InputEvent event = new InputEvent();
    byte kind = in.readByte();
    switch (kind) {
      case SHOTS -> event.shots = readShots(in);
      case RUN -> event.run = runs().deserialize(in);
      case TARGET -> event.target = targets().deserialize(in);
      case REJECTED -> event.rejected = deadLetters().deserialize(in);
      case STATE -> event.state = states().deserialize(in);
      default -> throw new IOException("Unknown InputEvent kind " + kind + ": corrupt stream?");
    }
    event.sourceTopic = StringValue.readString(in);
    event.sourcePartition = in.readInt();
    event.sourceOffset = in.readLong();
    return event;
  }

  @Override
  public InputEvent deserialize(InputEvent reuse, DataInputView in) throws IOException {
    return deserialize(in);
  }

  @Override
  public void copy(DataInputView source, DataOutputView target) throws IOException {
    serialize(deserialize(source), target);
  }

  /** Every field of {@link ShotCounts}, in schema order (pinned by InputEventSerializerTest). */
  static final List<String> SHOT_FIELDS =
      List.of(
          "run_id",
          "producer_id",
          "seq",
          "producer_session",
          "epoch",
          "circuit",
          "event_time",
          "qubits",
          "shots",
          "outcomes",
          "counts",
          "losses");

  private static void writeShots(ShotCounts shots, DataOutputView out) throws IOException {
    StringValue.writeString(shots.getRunId(), out);
    StringValue.writeString(shots.getProducerId(), out);
    out.writeLong(shots.getSeq());
    StringValue.writeString(shots.getProducerSession(), out);
    out.writeInt(shots.getEpoch());
    StringValue.writeString(shots.getCircuit(), out);
    out.writeLong(shots.getEventTime().toEpochMilli());
    out.writeInt(shots.getQubits());
    out.writeLong(shots.getShots());
    writeLongs(shots.getOutcomes(), out);
    writeLongs(shots.getCounts(), out);
    Map<String, Double> losses = shots.getLosses();
    out.writeInt(losses.size());
    for (Map.Entry<String, Double> loss : losses.entrySet()) {
      StringValue.writeString(loss.getKey(), out);
      out.writeDouble(loss.getValue());
    }
  }

  private static ShotCounts readShots(DataInputView in) throws IOException {
    ShotCounts shots = new ShotCounts();
    shots.setRunId(StringValue.readString(in));
    shots.setProducerId(StringValue.readString(in));
    shots.setSeq(in.readLong());
    shots.setProducerSession(StringValue.readString(in));
    shots.setEpoch(in.readInt());
    shots.setCircuit(StringValue.readString(in));
    shots.setEventTime(Instant.ofEpochMilli(in.readLong()));
    shots.setQubits(in.readInt());
    shots.setShots(in.readLong());
    shots.setOutcomes(readLongs(in));
    shots.setCounts(readLongs(in));
    int losses = in.readInt();
    Map<String, Double> map = new HashMap<>(Math.max(4, losses * 2));
    for (int i = 0; i < losses; i++) {
      map.put(StringValue.readString(in), in.readDouble());
    }
    shots.setLosses(map);
    return shots;
  }

  private static void writeLongs(List<Long> values, DataOutputView out) throws IOException {
    int n = values.size();
    out.writeInt(n);
    for (int i = 0; i < n; i++) {
      out.writeLong(values.get(i));
    }
  }

  private static List<Long> readLongs(DataInputView in) throws IOException {
    long[] values = new long[in.readInt()];
    for (int i = 0; i < values.length; i++) {
      values[i] = in.readLong();
    }
    return LongArrayList.wrap(values);
  }

  private AvroSerializer<RunEvent> runs() {
    if (runs == null) {
      runs = new AvroSerializer<>(RunEvent.class);
    }
    return runs;
  }

  private AvroSerializer<TargetDistribution> targets() {
    if (targets == null) {
      targets = new AvroSerializer<>(TargetDistribution.class);
    }
    return targets;
  }

  private AvroSerializer<StateSnapshot> states() {
    if (states == null) {
      states = new AvroSerializer<>(StateSnapshot.class);
    }
    return states;
  }

  private AvroSerializer<DeadLetter> deadLetters() {
    if (deadLetters == null) {
      deadLetters = new AvroSerializer<>(DeadLetter.class);
    }
    return deadLetters;
  }

  @Override
  public boolean equals(Object obj) {
    return obj instanceof InputEventSerializer;
  }

  @Override
  public int hashCode() {
    return InputEventSerializer.class.hashCode();
  }

  @Override
  public TypeSerializerSnapshot<InputEvent> snapshotConfiguration() {
    return new Snapshot();
  }

  /** The serializer has no configuration: restoring needs only its class. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<InputEvent> {
    public Snapshot() {
      super(InputEventSerializer::new);
    }
  }
}

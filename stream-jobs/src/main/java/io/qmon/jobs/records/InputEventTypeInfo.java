package io.qmon.jobs.records;

import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Flink type information of {@link InputEvent}: serialized by {@link InputEventSerializer}. */
public final class InputEventTypeInfo extends TypeInformation<InputEvent> {
  private static final long serialVersionUID = 1L;

  /** Picked up by Flink's type extraction through the annotation on {@link InputEvent}. */
  public static final class Factory extends TypeInfoFactory<InputEvent> {
    @Override
    public TypeInformation<InputEvent> createTypeInfo(
        Type type, Map<String, TypeInformation<?>> genericParameters) {
      return new InputEventTypeInfo();
    }
  }

  @Override
  public boolean isBasicType() {
    return false;
  }

  @Override
  public boolean isTupleType() {
    return false;
  }

  @Override
  public int getArity() {
    return 1;
  }

  @Override
  public int getTotalFields() {
    return 1;
  }

  @Override
  public Class<InputEvent> getTypeClass() {
    return InputEvent.class;
  }

  @Override
  public boolean isKeyType() {
    return false;
  }

  @Override
  public TypeSerializer<InputEvent> createSerializer(SerializerConfig config) {
    return new InputEventSerializer();
  }

  @Override
  public String toString() {
    return "InputEvent";
  }

  @Override
  public boolean equals(Object obj) {
    return obj instanceof InputEventTypeInfo;
  }

  @Override
  public int hashCode() {
    return InputEventTypeInfo.class.hashCode();
  }

  @Override
  public boolean canEqual(Object obj) {
    return obj instanceof InputEventTypeInfo;
  }
}

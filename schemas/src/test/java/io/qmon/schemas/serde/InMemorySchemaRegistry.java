package io.qmon.schemas.serde;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * A registry kept in memory for unit tests of the serde's framing. It makes no compatibility
 * checks; those are tested against a real registry in {@code SchemaRegistryIT}.
 */
final class InMemorySchemaRegistry implements SchemaRegistry {
  private final List<Schema> schemas = new ArrayList<>();
  private final Map<String, Integer> ids = new HashMap<>();
  int lookups;

  @Override
  public synchronized int register(String subject, Schema schema) {
    return ids.computeIfAbsent(
        schema.toString(),
        s -> {
          schemas.add(schema);
          return schemas.size();
        });
  }

  @Override
  public synchronized Schema schemaById(int id) {
    lookups++;
    if (id < 1 || id > schemas.size()) {
      throw new SchemaRegistryException("Schema " + id + " not found", 404);
    }
    return schemas.get(id - 1);
  }

  @Override
  public void setCompatibility(String subject, String level) {
    throw new UnsupportedOperationException("not needed by these tests");
  }

  @Override
  public boolean isCompatible(String subject, Schema schema) {
    throw new UnsupportedOperationException("not needed by these tests");
  }
}

"""The Avro schemas of qmon's topics, shipped as package data.

The files here are byte-for-byte copies of ``schemas/src/main/avro/*.avsc`` (the single source of
truth); a pytest and a Maven unit test (``PythonSchemasTest``) fail the build when they differ.
Refresh them with ``cp schemas/src/main/avro/*.avsc producers/python/qmon_sdk/schemas/``.
"""

from importlib import resources

#: Topic name -> the record whose schema is that topic's value schema.
TOPIC_SCHEMAS = {
    "qgm.runs": "RunEvent",
    "qgm.shots": "ShotCounts",
    "qgm.states": "StateSnapshot",
    "qgm.targets": "TargetDistribution",
    "qgm.metrics": "MetricRecord",
    "qgm.alerts": "Alert",
    "qgm.dlq": "DeadLetter",
    "qgm.sweeps": "SweepSummary",
    "qgm.advice": "Advice",
}


def schema_text(record: str) -> str:
    """The .avsc text of one record, e.g. ``schema_text("ShotCounts")``."""
    return resources.files(__name__).joinpath(f"{record}.avsc").read_text(encoding="utf-8")


def schema_for_topic(topic: str) -> str:
    """The .avsc text of a topic's value schema."""
    try:
        return schema_text(TOPIC_SCHEMAS[topic])
    except KeyError:
        raise ValueError(f"unknown topic {topic!r}; known: {sorted(TOPIC_SCHEMAS)}") from None

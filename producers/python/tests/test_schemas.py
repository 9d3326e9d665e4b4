import io
from pathlib import Path

import fastavro
import pytest

from qmon_sdk import schemas

SOURCE = Path(__file__).resolve().parents[3] / "schemas" / "src" / "main" / "avro"


@pytest.mark.skipif(not SOURCE.is_dir(), reason="outside the qmon repository")
def test_packaged_schemas_are_byte_identical_to_the_source_of_truth():
    source = sorted(p.name for p in SOURCE.glob("*.avsc"))
    assert source == sorted(f"{name}.avsc" for name in schemas.TOPIC_SCHEMAS.values())
    for name in source:
        packaged = schemas.schema_text(name[:-5]).encode("utf-8")
        assert packaged == (SOURCE / name).read_bytes(), (
            f"{name} drifted: cp schemas/src/main/avro/*.avsc producers/python/qmon_sdk/schemas/"
        )


def test_run_event_payload_union_round_trips_by_record_name():
    parsed = fastavro.parse_schema(__import__("json").loads(schemas.schema_text("RunEvent")))
    event = {
        "run_id": "r",
        "producer_id": "p",
        "seq": 7,
        "event_time": 1_700_000_000_000,
        "payload": ("io.qmon.schemas.RunFinished", {"status": "KILLED", "epochs": 3, "message": None}),
    }
    buffer = io.BytesIO()
    fastavro.schemaless_writer(buffer, parsed, event)
    buffer.seek(0)
    back = fastavro.schemaless_reader(buffer, parsed, return_record_name=True)
    assert back["payload"] == ("io.qmon.schemas.RunFinished", {"status": "KILLED", "epochs": 3, "message": None})
    assert back["seq"] == 7

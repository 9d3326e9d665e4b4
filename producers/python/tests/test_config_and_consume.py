import datetime

import pytest

from qmon_sdk import QmonPublisher, config
from qmon_sdk.consume import dead_letter_view, render
from qmon_sdk.publisher import describe


def test_settings_come_from_environment_variables(tmp_path):
    props = tmp_path / "client.properties"
    props.write_text(
        "# SASL over TLS\nsecurity.protocol=SASL_SSL\n"
        'sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="a=b,c";\n'
    )
    env = {
        "QMON_KAFKA_PROPERTIES": str(props),
        "QMON_KAFKA_SASL_MECHANISMS": "PLAIN",
        "QMON_KAFKA_SECURITY_PROTOCOL": "SSL",
        "QMON_SCHEMA_REGISTRY_URL": "http://r:8081",
        "QMON_SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO": "u:p",
        "PATH": "/bin",
    }
    assert config.kafka_config(env) == {
        "security.protocol": "SSL",
        "sasl.mechanisms": "PLAIN",
        "sasl.jaas.config": 'org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="a=b,c";',
    }
    assert config.registry_config(env) == {"basic.auth.user.info": "u:p"}
    assert config.redacted({"sasl.password": "x", "basic.auth.user.info": "u:p", "acks": "all"}) == {
        "sasl.password": "***",
        "basic.auth.user.info": "***",
        "acks": "all",
    }


def test_a_publisher_reads_its_servers_and_producer_id_from_the_environment():
    qmon = QmonPublisher(
        environ={
            "QMON_BOOTSTRAP_SERVERS": "127.0.0.1:1",
            "QMON_SCHEMA_REGISTRY_URL": "http://127.0.0.1:1",
            "QMON_PRODUCER_ID": "lab-7",
        }
    )
    assert qmon.producer_id == "lab-7"
    assert len(qmon.producer_session) == 36


def test_the_jobs_variable_name_for_the_servers_works_and_yields_to_the_sdks_own():
    job_name_only = QmonPublisher(
        environ={
            "QMON_KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:2",
            "QMON_SCHEMA_REGISTRY_URL": "http://127.0.0.1:1",
        }
    )
    assert job_name_only._consumer_config["bootstrap.servers"] == "127.0.0.1:2"
    both = QmonPublisher(
        environ={
            "QMON_KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:2",
            "QMON_BOOTSTRAP_SERVERS": "127.0.0.1:3",
            "QMON_SCHEMA_REGISTRY_URL": "http://127.0.0.1:1",
        }
    )
    assert both._consumer_config["bootstrap.servers"] == "127.0.0.1:3"
    argument = QmonPublisher(
        bootstrap_servers="127.0.0.1:4",
        environ={
            "QMON_KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:2",
            "QMON_SCHEMA_REGISTRY_URL": "http://127.0.0.1:1",
        },
    )
    assert argument._consumer_config["bootstrap.servers"] == "127.0.0.1:4"


def test_a_publisher_without_servers_names_the_variable():
    with pytest.raises(ValueError, match="QMON_BOOTSTRAP_SERVERS"):
        QmonPublisher(environ={})


def test_a_dead_letter_is_shown_with_its_reason_source_and_input_size():
    letter = {
        "source_topic": "qgm.shots",
        "source_partition": 2,
        "source_offset": 41,
        "key": b"run-1",
        "value": b"\x00\x00\x00\x00\x07" + bytes(20),
        "error_type": "INVALID_COUNTS",
        "reason": "counts sum to 99 but shots is 100",
        "run_id": "run-1",
        "rejected_time": datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc),
    }
    assert render("qgm.dlq", letter) == dead_letter_view(letter)
    assert dead_letter_view(letter) == {
        "error_type": "INVALID_COUNTS",
        "reason": "counts sum to 99 but shots is 100",
        "run_id": "run-1",
        "source_topic": "qgm.shots",
        "source_partition": 2,
        "source_offset": 41,
        "key": "run-1",
        "value_bytes": 25,
        "rejected_time": 1767225600000,
    }


def test_records_with_byte_fields_print_as_json():
    assert describe({"value": b"abc", "t": datetime.datetime(1970, 1, 1, 0, 0, 1, tzinfo=datetime.timezone.utc)}) == '{"t": 1000, "value": {"bytes": 3}}'


def test_a_runs_dead_letters_are_found_by_run_id_or_by_the_refused_inputs_key():
    from qmon_sdk.consume import _dead_letter_of

    undecodable = {"key": b"run-1", "run_id": None}
    refused = {"key": b"run-2", "run_id": "run-2"}
    assert _dead_letter_of(undecodable, None, "run-1")
    assert _dead_letter_of(refused, None, "run-2")
    assert not _dead_letter_of(refused, None, "run-1")


def test_the_consume_tool_knows_every_topic_of_the_platform():
    from qmon_sdk.consume import _topics

    assert _topics("all") == [
        "qgm.advice", "qgm.alerts", "qgm.dlq", "qgm.metrics", "qgm.runs", "qgm.shots", "qgm.states", "qgm.sweeps", "qgm.targets",
    ]
    assert _topics("qgm.dlq, qgm.runs") == ["qgm.dlq", "qgm.runs"]
    with pytest.raises(SystemExit, match="qgm.nope"):
        _topics("qgm.nope")

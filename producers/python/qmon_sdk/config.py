"""Publisher settings from environment variables, so a training script needs no connection code.

=====================================  ==========================================================
variable                               meaning
=====================================  ==========================================================
``QMON_BOOTSTRAP_SERVERS``             Kafka ``bootstrap.servers`` (``QMON_KAFKA_BOOTSTRAP_SERVERS``, the
                                       job's and CLI's name, works too and yields to this one)
``QMON_SCHEMA_REGISTRY_URL``           Confluent-API schema registry URL
``QMON_PRODUCER_ID``                   ``producer_id`` of every event (default: random)
``QMON_KAFKA_PROPERTIES``              path of a Kafka client properties file (``key=value`` lines,
                                       ``#`` comments; values may hold ``=`` and ``,``)
``QMON_KAFKA_<KEY>``                   one confluent-kafka (librdkafka) setting: the rest of the
                                       name lower-cased, ``_`` read as ``.``, e.g.
                                       ``QMON_KAFKA_SECURITY_PROTOCOL=SASL_SSL``,
                                       ``QMON_KAFKA_SASL_MECHANISMS=SCRAM-SHA-512``,
                                       ``QMON_KAFKA_SASL_USERNAME``, ``QMON_KAFKA_SASL_PASSWORD``,
                                       ``QMON_KAFKA_SSL_CA_LOCATION``
``QMON_SCHEMA_REGISTRY_<KEY>``         one schema registry client setting, the same way, e.g.
                                       ``QMON_SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO=user:secret``,
                                       ``QMON_SCHEMA_REGISTRY_SSL_CA_LOCATION``
``QMON_CAPTURE_ENV``                   ``0``/``false``/``no``/``off``: runs carry no git, host,
                                       version tags nor ``environment.txt`` (default: captured;
                                       see ``qmon_sdk.reproducibility``)
=====================================  ==========================================================

A single variable overrides the properties file; explicit constructor arguments override both.
"""

import os
from typing import Any, Dict, Mapping, Optional

BOOTSTRAP_SERVERS = "QMON_BOOTSTRAP_SERVERS"
SCHEMA_REGISTRY_URL = "QMON_SCHEMA_REGISTRY_URL"
PRODUCER_ID = "QMON_PRODUCER_ID"
KAFKA_PROPERTIES = "QMON_KAFKA_PROPERTIES"
KAFKA_PREFIX = "QMON_KAFKA_"
REGISTRY_PREFIX = "QMON_SCHEMA_REGISTRY_"

_SECRET_HINTS = ("password", "secret", "jaas", "user.info", "token", "key")


def _setting_name(variable: str, prefix: str) -> str:
    return variable[len(prefix) :].lower().replace("_", ".")


def read_properties(path: str) -> Dict[str, str]:
    """A Java-style properties file as a dict (``key=value`` or ``key: value``; ``#``/``!`` comments)."""
    settings = {}
    with open(path, encoding="utf-8") as f:
        for number, raw in enumerate(f, 1):
            line = raw.strip()
            if not line or line.startswith(("#", "!")):
                continue
            cut = min((i for i in (line.find("="), line.find(":")) if i > 0), default=-1)
            if cut < 0:
                raise ValueError(f"{path}:{number}: expected key=value, got {line!r}")
            settings[line[:cut].strip()] = line[cut + 1 :].strip()
    return settings


def kafka_config(environ: Optional[Mapping[str, str]] = None) -> Dict[str, Any]:
    """confluent-kafka settings from ``QMON_KAFKA_PROPERTIES`` and ``QMON_KAFKA_*`` variables."""
    env = os.environ if environ is None else environ
    settings: Dict[str, Any] = {}
    if env.get(KAFKA_PROPERTIES):
        settings.update(read_properties(env[KAFKA_PROPERTIES]))
    for name, value in env.items():
        if name.startswith(KAFKA_PREFIX) and name != KAFKA_PROPERTIES:
            settings[_setting_name(name, KAFKA_PREFIX)] = value
    return settings


def registry_config(environ: Optional[Mapping[str, str]] = None) -> Dict[str, Any]:
    """Schema registry client settings from ``QMON_SCHEMA_REGISTRY_*`` (the URL excluded)."""
    env = os.environ if environ is None else environ
    return {
        _setting_name(name, REGISTRY_PREFIX): value
        for name, value in env.items()
        if name.startswith(REGISTRY_PREFIX) and name != SCHEMA_REGISTRY_URL
    }


def redacted(settings: Mapping[str, Any]) -> Dict[str, Any]:
    """A copy safe to print: values of secret-looking keys replaced by ``***``."""
    return {
        k: ("***" if any(h in k.lower() for h in _SECRET_HINTS) else v) for k, v in settings.items()
    }

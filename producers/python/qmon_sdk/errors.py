"""Exceptions of the qmon SDK."""

from typing import Optional


class InvalidEventError(ValueError):
    """An event refused before it was sent; ``field`` names the offending field and ``error_type``
    is the code the job would dead-letter it with (one of ``validation.ERROR_TYPES``)."""

    def __init__(self, field: str, problem: str, error_type: Optional[str] = None):
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.error_type = error_type


class PublishError(RuntimeError):
    """An event Kafka did not accept after the producer's own retries, or that could not be framed."""

"""Exceptions of the qmon SDK."""


class InvalidEventError(ValueError):
    """An event refused before it was sent; ``field`` names the offending field."""

    def __init__(self, field: str, problem: str):
        super().__init__(f"{field}: {problem}")
        self.field = field


class PublishError(RuntimeError):
    """An event Kafka did not accept after the producer's own retries, or that could not be framed."""

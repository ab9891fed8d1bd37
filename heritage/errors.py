"""Refusals of heritage writes: each names the field at fault and says what to send instead."""


class HeritageError(ValueError):
    """A record was refused: `field` names what to fix, the message says how."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message

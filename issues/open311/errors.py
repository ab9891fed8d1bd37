"""Open311 errors: a status and a list of {code, description}, in the request's format."""


class Open311Error(Exception):
    def __init__(self, status: int, description: str, retry_after: int | None = None):
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after  # seconds, sent as Retry-After (with 429)

    def as_list(self) -> list[dict]:
        return [{"code": self.status, "description": self.description}]

"""Open311 errors: a status and a list of {code, description}, in the request's format."""


class Open311Error(Exception):
    def __init__(self, status: int, description: str):
        super().__init__(description)
        self.status = status
        self.description = description

    def as_list(self) -> list[dict]:
        return [{"code": self.status, "description": self.description}]

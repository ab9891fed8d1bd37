"""Files saved to storage with the rows that name them: kept when the transaction commits, removed when it fails."""
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.files.base import File
from django.db import InterfaceError, OperationalError, transaction
from django.db.models.fields.files import FieldFile


class SavedFiles:
    """The files saved inside one transaction (see `atomic_with_files`).

    A failure before COMMIT stored nothing, so the files go. A connection lost during COMMIT itself leaves it
    unknown whether the rows were stored: the files are kept then, so the worst case is a file that no row
    references, never a stored row whose file is missing.
    """

    def __init__(self) -> None:
        self._files: list[FieldFile] = []
        self._committing = False

    def save(self, field_file: FieldFile, content: File) -> None:
        """Write the content to the field's storage (the row is saved by the caller, in the transaction)."""
        field_file.save(content.name, content, save=False)
        self._files.append(field_file)

    def _discard(self, exc: BaseException) -> None:
        if self._committing and isinstance(exc, (OperationalError, InterfaceError)):
            return
        for stored in self._files:
            stored.delete(save=False)


@contextmanager
def atomic_with_files() -> Iterator[SavedFiles]:
    """`transaction.atomic()` whose files, saved through the yielded SavedFiles, are removed again when the block
    fails (an error inside it, or a constraint checked at COMMIT) and kept when it commits."""
    saved = SavedFiles()
    try:
        with transaction.atomic():
            yield saved
            saved._committing = True  # what fails from here on fails in COMMIT
    except BaseException as exc:
        saved._discard(exc)
        raise

"""Real photos are never refused by the polyglot checks: 300 camera-like JPEGs of 2 to 8 MB (a gradient plus sensor
noise, quality 90) pass them, although some of them hold '<svg' in their entropy-coded data by chance.

Encoding 300 such photos would take minutes, so they are put together from a pool of restart intervals: eight
noise fields are encoded once with a restart marker after every row of blocks, and each photo is a random sequence
of those intervals (each decodes on its own) under a header that states its height. The pool's noise seeds 245 and
278 give intervals whose bytes spell '<svg'."""
import io
import re
import struct

import numpy as np
import pytest
from PIL import Image

from core.photos import MARKUP, PhotoError, _check_not_polyglot

WIDTH, ROWS = 3008, 512  # each noise field: 32 rows of 16-pixel blocks
SEEDS = (245, 278, 1, 2, 3, 4, 5, 6)
RESTART = re.compile(rb"\xff[\xd0-\xd7]")


def noise_field_jpeg(seed: int) -> bytes:
    rng = np.random.default_rng(seed)
    y = np.arange(ROWS, dtype=np.int16)[:, None]
    x = np.arange(WIDTH, dtype=np.int16)[None, :]
    gradient = np.stack(np.broadcast_arrays(x // 16 + seed % 50, y // 4 + 30, (x // 24 + y // 6) % 200 + 20), -1)
    pixels = np.clip(gradient + rng.integers(-28, 29, size=(ROWS, WIDTH, 3), dtype=np.int16), 0, 255).astype(np.uint8)
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, format="JPEG", quality=90, restart_marker_rows=1)
    return out.getvalue()


def split(data: bytes) -> tuple[bytes, list[bytes]]:
    """The header up to the end of the start-of-scan segment, and the entropy-coded data's restart intervals."""
    sos = data.index(b"\xff\xda")
    (length,) = struct.unpack(">H", data[sos + 2:sos + 4])
    header_end = sos + 2 + length
    return data[:header_end], RESTART.split(data[header_end:data.rindex(b"\xff\xd9")])


@pytest.fixture(scope="module")
def photos_and_pool():
    header, pool = None, []
    for seed in SEEDS:
        header, intervals = split(noise_field_jpeg(seed))
        assert len(intervals) == ROWS // 16
        pool.extend(intervals)
    sof = header.index(b"\xff\xc0")
    mean = sum(map(len, pool)) / len(pool)
    rng = np.random.default_rng(7)
    made, chosen_intervals = [], []
    for size in rng.uniform(2_000_000, 8_000_000, 300):
        chosen = rng.integers(0, len(pool), int(size / mean))
        height_header = header[:sof + 5] + struct.pack(">H", 16 * len(chosen)) + header[sof + 7:]
        scan = b"".join(pool[k] + bytes((0xFF, 0xD0 + n % 8)) for n, k in enumerate(chosen[:-1]))
        chosen_intervals.append(chosen)
        made.append(height_header + scan + pool[chosen[-1]] + b"\xff\xd9")
    return made, pool, chosen_intervals


@pytest.fixture(scope="module")
def photos(photos_and_pool):
    return photos_and_pool[0]


def test_photos_are_real_jpegs_of_2_to_8_mb(photos):
    assert len(photos) >= 300
    assert 1.9e6 < min(map(len, photos)) and max(map(len, photos)) < 8.2e6
    for photo in (min(photos, key=len), photos[0]):
        image = Image.open(io.BytesIO(photo))
        image.load()
        assert image.format == "JPEG" and image.width == WIDTH


def test_some_photos_spell_markup_by_chance(photos_and_pool):
    """What a search of the whole file would have refused: the set holds the case the checks must not trip on."""
    photos, pool, chosen = photos_and_pool
    spelling = {k for k, interval in enumerate(pool) if any(m in interval.lower() for m in MARKUP)}
    by_chance = [n for n, ks in enumerate(chosen) if spelling.intersection(ks.tolist())]
    assert len(by_chance) > 10
    assert any(m in photos[by_chance[0]].lower() for m in MARKUP)


def test_no_real_photo_is_refused(photos):
    refused = []
    for photo in photos:
        try:
            _check_not_polyglot(photo, "JPEG")
        except PhotoError as error:
            refused.append(str(error))
    assert refused == []


def test_a_comment_or_trailer_of_markup_in_a_large_photo_is_still_refused(photos):
    photo = photos[0]
    comment = b"<svg onload=alert(1)>"
    with_comment = photo[:2] + b"\xff\xfe" + struct.pack(">H", len(comment) + 2) + comment + photo[2:]
    with pytest.raises(PhotoError, match="'<svg'"):
        _check_not_polyglot(with_comment, "JPEG")
    with pytest.raises(PhotoError, match="it is not only a photo"):
        _check_not_polyglot(photo + b"\n<html><script>alert(1)</script>", "JPEG")

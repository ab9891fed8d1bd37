"""Static IIIF Image API 3.0 level-0 pyramids made with libvips: every tile a viewer asks for and every size that
info.json lists, written once as `{region}/{size}/0/default.jpg` files under the pyramid folder, so that a web
server can send them as files. Tiles are cut the way OpenSeadragon (and Mirador, which draws with it) names them:
level and tile sizes are the full-resolution ones divided by the scale factor, rounded up."""
import json
import math
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

IMAGE_CONTEXT = "http://iiif.io/api/image/3/context.json"
IMAGE_PROTOCOL = "http://iiif.io/api/image"
LEVEL0_PROFILE = "http://iiif.io/api/image/3/level0.json"
STAMP = "source.json"  # what the pyramid was made from: a changed source is ingested again


def image_identifier(object_identifier: str, position: int) -> str:
    """The IIIF identifier of an object's image: `<object identifier>-<image number from 1>` (unambiguous: the
    number follows the last hyphen)."""
    return f"{object_identifier}-{position + 1}"


def pyramid_root() -> Path:
    """Where pyramids live: HERITAGE_IIIF_ROOT, else MEDIA_ROOT/iiif/3."""
    return Path(settings.HERITAGE_IIIF_ROOT) if settings.HERITAGE_IIIF_ROOT else Path(settings.MEDIA_ROOT) / "iiif" / "3"


def pyramid_folder(identifier: str) -> Path:
    return pyramid_root() / identifier


@dataclass(frozen=True)
class Level:
    scale: int  # the scale factor: 1 is full resolution
    width: int
    height: int


def levels(width: int, height: int, tile: int) -> list[Level]:
    """Scale factors 1, 2, 4 ... down to the first level that fits in one tile."""
    listed, scale = [], 1
    while True:
        level = Level(scale, math.ceil(width / scale), math.ceil(height / scale))
        listed.append(level)
        if level.width <= tile and level.height <= tile:
            return listed
        scale *= 2


def region_name(x: int, y: int, w: int, h: int, width: int, height: int) -> str:
    """The canonical region: `full` when it is the whole image, else x,y,w,h."""
    return "full" if (x, y, w, h) == (0, 0, width, height) else f"{x},{y},{w},{h}"


def tiles(width: int, height: int, tile: int, level: Level):
    """(region name, scaled width, scaled height, x and y in the level's image) of each tile of a level."""
    step = tile * level.scale
    for y in range(0, height, step):
        for x in range(0, width, step):
            w, h = min(step, width - x), min(step, height - y)
            scaled_w, scaled_h = min(math.ceil(w / level.scale), tile), min(math.ceil(h / level.scale), tile)
            yield region_name(x, y, w, h, width, height), scaled_w, scaled_h, x // level.scale, y // level.scale


def max_level(listed: list[Level], max_side: int) -> Level:
    """The largest level whose long side is at most max_side: what `max` answers (full resolution when it fits)."""
    return next(level for level in listed if max(level.width, level.height) <= max_side)


def info_document(width: int, height: int, *, tile: int, max_side: int, rights: str = "") -> dict:
    """info.json without its `id` (the server that answers adds its own address)."""
    listed = levels(width, height, tile)
    largest = max_level(listed, max_side)
    info = {
        "@context": IMAGE_CONTEXT, "type": "ImageService3", "protocol": IMAGE_PROTOCOL, "profile": "level0",
        "width": width, "height": height,
        "sizes": [{"width": level.width, "height": level.height} for level in reversed(listed) if level.scale >= largest.scale],
        "tiles": [{"width": tile, "height": tile, "scaleFactors": [level.scale for level in listed]}],
    }
    if largest.scale > 1:
        info["maxWidth"], info["maxHeight"] = largest.width, largest.height
    if rights:
        info["rights"] = rights
    return info


def _stamp(source: Path, rights: str) -> dict:
    status = source.stat()
    return {"source": str(source), "bytes": status.st_size, "mtime_ns": status.st_mtime_ns, "rights": rights,
            "tile": settings.HERITAGE_IIIF_TILE_SIZE, "max_side": settings.HERITAGE_IIIF_MAX_SIZE}


def is_current(source: Path, identifier: str, rights: str = "") -> bool:
    """Whether the pyramid exists and was made from this very file (size and change time) with today's settings."""
    try:
        return json.loads((pyramid_folder(identifier) / STAMP).read_text()) == _stamp(source, rights)
    except (OSError, ValueError):
        return False


def build(source: Path, identifier: str, *, rights: str = "") -> dict:
    """Cut the image into its pyramid and write it in place of the old one (made in a folder beside it and swapped
    in, so a reader never sees half a pyramid); the info.json document (without `id`)."""
    import pyvips

    tile, max_side, quality = (settings.HERITAGE_IIIF_TILE_SIZE, settings.HERITAGE_IIIF_MAX_SIZE,
                               settings.HERITAGE_IIIF_JPEG_QUALITY)
    target = pyramid_folder(identifier)
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{identifier}.", dir=target.parent))
    try:
        image = pyvips.Image.new_from_file(str(source), access="sequential")
        image = image.autorot()
        if image.hasalpha():
            image = image.flatten(background=[255, 255, 255])
        image = image.colourspace("srgb") if image.interpretation not in ("srgb", "b-w") else image
        if image.format != "uchar":
            image = image.cast("uchar")
        width, height = image.width, image.height
        # One uncompressed copy in the vips format, mapped from disk: tiles are cut from it in any order, without
        # holding the decoded image in memory.
        full = pyvips.Image.new_from_file(_vips_copy(image, work / "level-1.v"))
        listed = levels(width, height, tile)
        largest = max_level(listed, max_side)
        level_image = full
        for level in listed:
            if level.scale > 1:
                scaled = level_image.resize(level.width / level_image.width, vscale=level.height / level_image.height,
                                            kernel="lanczos3")
                level_image = pyvips.Image.new_from_file(_vips_copy(scaled, work / f"level-{level.scale}.v"))
            for region, w, h, left, top in tiles(width, height, tile, level):
                _save(level_image.crop(left, top, w, h), work / region / f"{w},{h}" / "0" / "default.jpg", quality)
            if level.scale >= largest.scale and (level.width > tile or level.height > tile):
                _save(level_image, work / "full" / f"{level.width},{level.height}" / "0" / "default.jpg", quality)
        largest_file = work / "full" / f"{largest.width},{largest.height}" / "0" / "default.jpg"
        (work / "full" / "max" / "0").mkdir(parents=True)
        os.link(largest_file, work / "full" / "max" / "0" / "default.jpg")
        for scratch in work.glob("level-*.v"):
            scratch.unlink()
        info = info_document(width, height, tile=tile, max_side=max_side, rights=rights)
        (work / "info.json").write_text(json.dumps(info, indent=1))
        (work / STAMP).write_text(json.dumps(_stamp(source, rights)))
        os.chmod(work, 0o755)
        old = target.with_name(f".{identifier}.old")
        if target.exists():
            target.rename(old)
        work.rename(target)
        shutil.rmtree(old, ignore_errors=True)
        return info
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise


def _vips_copy(image, path: Path) -> str:
    image.write_to_file(str(path))
    return str(path)


def _save(image, path: Path, quality: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    image.jpegsave(str(path), Q=quality, strip=True)


def remove(identifier: str) -> None:
    shutil.rmtree(pyramid_folder(identifier), ignore_errors=True)


def read_info(identifier: str) -> dict | None:
    """The stored info.json of a pyramid, None when there is none."""
    try:
        return json.loads((pyramid_folder(identifier) / "info.json").read_text())
    except (OSError, ValueError):
        return None

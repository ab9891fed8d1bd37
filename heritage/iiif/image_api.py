"""IIIF Image API 3.0 requests against a static level-0 pyramid: the region, size, rotation, quality and format of
a request parsed and put in canonical form, then the file that answers it named. A request that is not IIIF is a
400 naming the parameter; one that is IIIF but not cut in the pyramid is a 501 saying what is served."""
import math
import re
from dataclasses import dataclass
from pathlib import Path

from core.errors import NotFound

from ..errors import HeritageError, NotImplementedByService
from . import pyramids

QUALITIES = {"default", "color", "gray", "bitonal"}
FORMATS = {"jpg", "tif", "png", "gif", "jp2", "pdf", "webp"}
_NUMBER = r"\d+(?:\.\d+)?"
_REGION_PIXELS = re.compile(r"^(\d+),(\d+),(\d+),(\d+)$")
_REGION_PERCENT = re.compile(rf"^pct:({_NUMBER}),({_NUMBER}),({_NUMBER}),({_NUMBER})$")
_SIZE = re.compile(r"^(\^)?(?:(max)|pct:(" + _NUMBER + r")|(!)?(\d+)?,(\d+)?)$")
_ROTATION = re.compile(rf"^(!)?({_NUMBER})$")


@dataclass(frozen=True)
class ImageRequest:
    identifier: str
    region: str
    size: str
    rotation: str
    quality: str
    format: str


def _round(value: float) -> int:
    return math.floor(value + 0.5)


def pyramid_info(identifier: str) -> dict:
    """The stored info.json of an image (without `id`); 404 when no image has this identifier."""
    info = pyramids.read_info(identifier)
    if info is None:
        raise NotFound(f"no IIIF image {identifier[:80]!r}; images are named <object identifier>-<image number>, "
                       "as the object's manifest lists them", parameter="identifier")
    return info


def _region(text: str, width: int, height: int) -> tuple[int, int, int, int]:
    if text == "full":
        return 0, 0, width, height
    if text == "square":
        side = min(width, height)
        return (width - side) // 2, (height - side) // 2, side, side
    if match := _REGION_PIXELS.match(text):
        x, y, w, h = (int(v) for v in match.groups())
    elif match := _REGION_PERCENT.match(text):
        px, py, pw, ph = (float(v) for v in match.groups())
        x, y = _round(px * width / 100), _round(py * height / 100)
        w, h = _round(pw * width / 100), _round(ph * height / 100)
    else:
        raise HeritageError("region", f"give full, square, x,y,w,h or pct:x,y,w,h; got {text[:40]!r}")
    if w <= 0 or h <= 0:
        raise HeritageError("region", f"width and height must be above 0; got {text[:40]!r}")
    if x >= width or y >= height:
        raise HeritageError("region", f"{text[:40]!r} starts outside the image, which is {width} × {height} px")
    return x, y, min(w, width - x), min(h, height - y)


def _size(text: str, region_w: int, region_h: int, info: dict) -> tuple[int, int]:
    match = _SIZE.match(text)
    if not match or text in ("^", ","):
        raise HeritageError("size", f"give max, w,, ,h, w,h, !w,h or pct:n (each may start with ^); got {text[:40]!r}")
    upscale, is_max, percent, confined, w, h = match.groups()
    max_w, max_h = info.get("maxWidth", info["width"]), info.get("maxHeight", info["height"])
    if is_max:
        factor = min(1.0, max_w / region_w, max_h / region_h)
        size = _round(region_w * factor), _round(region_h * factor)
    elif percent is not None:
        size = _round(region_w * float(percent) / 100), _round(region_h * float(percent) / 100)
    elif confined:
        if w is None or h is None:
            raise HeritageError("size", f"!w,h needs both a width and a height; got {text[:40]!r}")
        factor = min(int(w) / region_w, int(h) / region_h)
        size = _round(region_w * factor), _round(region_h * factor)
    elif w is not None and h is not None:
        size = int(w), int(h)
    elif w is not None:
        size = int(w), _round(region_h * int(w) / region_w)
    elif h is not None:
        size = _round(region_w * int(h) / region_h), int(h)
    else:
        raise HeritageError("size", f"give a width, a height or both; got {text[:40]!r}")
    if size[0] <= 0 or size[1] <= 0:
        raise HeritageError("size", f"{text[:40]!r} gives an empty image")
    if not upscale and (size[0] > region_w or size[1] > region_h):
        raise HeritageError("size", f"{text[:40]!r} is larger than the region ({region_w} × {region_h} px); "
                                    "ask for it with ^ to upscale")
    return size


def canonical_file(request: ImageRequest) -> Path:
    """The pyramid file answering the request, after checking each parameter: 404 for an unknown image, 400 for
    a request that is not IIIF, 501 for one this level-0 service has not cut."""
    info = pyramid_info(request.identifier)
    width, height = info["width"], info["height"]
    x, y, w, h = _region(request.region, width, height)
    size_w, size_h = _size(request.size, w, h, info)
    rotation = _ROTATION.match(request.rotation)
    if not rotation or float(rotation.group(2)) > 360:
        raise HeritageError("rotation", f"give degrees from 0 to 360, with ! in front to mirror; got {request.rotation[:20]!r}")
    if request.quality not in QUALITIES:
        raise HeritageError("quality", f"give one of {', '.join(sorted(QUALITIES))}; got {request.quality[:20]!r}")
    if request.format not in FORMATS:
        raise HeritageError("format", f"give one of {', '.join(sorted(FORMATS))}; got {request.format[:20]!r}")
    if rotation.group(1) or float(rotation.group(2)) != 0:
        raise NotImplementedByService("this image service is level 0: rotation 0 only", parameter="rotation")
    if (request.quality, request.format) != ("default", "jpg"):
        raise NotImplementedByService("this image service is level 0: default.jpg only", parameter="format")
    region = pyramids.region_name(x, y, w, h, width, height)
    path = pyramids.pyramid_folder(request.identifier) / region / f"{size_w},{size_h}" / "0" / "default.jpg"
    if not path.is_file():
        tile = info["tiles"][0]
        sizes = ", ".join(f"{s['width']},{s['height']}" for s in info["sizes"])
        raise NotImplementedByService(
            f"this image service is level 0: it serves the full image at the sizes {sizes} and tiles of "
            f"{tile['width']} px at scale factors {', '.join(map(str, tile['scaleFactors']))}, as info.json lists; "
            f"not {region}/{size_w},{size_h}", parameter="region")
    return path

"""Checking and re-encoding report photos: JPEG, PNG or WebP by content, EXIF (and GPS) removed, resized."""
import io
import uuid
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
# Refuse decompression bombs: a small file that would decode to a gigantic bitmap.
MAX_PIXELS = 50_000_000


class PhotoError(ValueError):
    """The upload is not a photo this server accepts; the message says why."""


@dataclass
class ProcessedPhoto:
    photo: ContentFile
    thumbnail: ContentFile
    width: int
    height: int


def process_photo(upload) -> ProcessedPhoto:
    """Check an uploaded file by its content and return the cleaned photo and its thumbnail."""
    if upload.size > settings.ISSUE_PHOTO_MAX_BYTES:
        raise PhotoError(
            f"media is {upload.size / 1048576:.1f} MB; photos may be at most {settings.ISSUE_PHOTO_MAX_BYTES // 1048576} MB"
        )
    data = upload.read()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            image_format = probe.format
            if image_format not in ACCEPTED_FORMATS:
                raise PhotoError(f"media is a {image_format or 'unknown'} image; send a JPEG, PNG or WebP photo")
            if probe.width * probe.height > MAX_PIXELS:
                raise PhotoError(f"media is {probe.width}×{probe.height} pixels; at most {MAX_PIXELS // 1_000_000} megapixels")
            probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()
    except PhotoError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoError("media is not a readable JPEG, PNG or WebP image") from None

    image = ImageOps.exif_transpose(image)  # keep the orientation the camera meant, then drop EXIF
    if image_format == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    elif image.mode not in ("RGB", "RGBA", "L"):
        image = image.convert("RGBA")
    image.thumbnail((settings.ISSUE_PHOTO_MAX_SIDE, settings.ISSUE_PHOTO_MAX_SIDE))
    thumbnail = image.copy()
    thumbnail.thumbnail((settings.ISSUE_THUMBNAIL_SIDE, settings.ISSUE_THUMBNAIL_SIDE))

    extension = ACCEPTED_FORMATS[image_format]
    name = uuid.uuid4().hex
    return ProcessedPhoto(
        photo=ContentFile(_encode(image, image_format), name=f"{name}.{extension}"),
        thumbnail=ContentFile(_encode(thumbnail, image_format), name=f"{name}-thumb.{extension}"),
        width=image.width,
        height=image.height,
    )


def _encode(image: Image.Image, image_format: str) -> bytes:
    """Encode without any metadata: Pillow writes EXIF only when it is passed, and it is not."""
    out = io.BytesIO()
    options = {"JPEG": {"quality": 85, "optimize": True}, "PNG": {"optimize": True}, "WEBP": {"quality": 85}}[image_format]
    clean = Image.new(image.mode, image.size)  # a fresh image carries no info (EXIF, XMP, ICC, text chunks)
    clean.paste(image)
    clean.save(out, format=image_format, **options)
    return out.getvalue()

"""Checking and re-encoding report photos: JPEG, PNG or WebP by content, EXIF (and GPS) removed, resized."""
import io
import uuid
import warnings
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
# What a file's name and declared type may say for each format; a name or an image type that says otherwise lies.
EXTENSIONS = {"JPEG": {"jpg", "jpeg", "jpe", "jfif"}, "PNG": {"png"}, "WEBP": {"webp"}}
CONTENT_TYPES = {"JPEG": {"image/jpeg", "image/jpg", "image/pjpeg"}, "PNG": {"image/png"}, "WEBP": {"image/webp"}}
# A declared type a browser would run or render as a page (sloppy clients may declare text/plain: that is let be).
ACTIVE_CONTENT_TYPES = {"text/html", "application/xhtml+xml", "application/javascript", "text/javascript",
                        "application/xml", "text/xml", "application/pdf", "application/zip", "application/x-shockwave-flash"}
# Refuse decompression bombs: a small file that would decode to a gigantic bitmap; and absurd shapes.
MAX_PIXELS = 50_000_000
MAX_SIDE = 20_000
# Text that has no business in a photo: a file holding it is also a web page or a script (a polyglot).
MARKUP = (b"<script", b"<html", b"<svg", b"<?php", b"<iframe", b"<!doctype", b"<?xml", b"<body", b"javascript:")


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
            if probe.width * probe.height > MAX_PIXELS or max(probe.width, probe.height) > MAX_SIDE:
                raise PhotoError(f"media is {probe.width}×{probe.height} pixels; at most {MAX_PIXELS // 1_000_000} megapixels "
                                 f"and {MAX_SIDE} pixels a side")
            _check_name_and_type(upload, image_format)
            _check_not_polyglot(data)
            probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()
    except PhotoError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoError(f"media would decode to more than {MAX_PIXELS // 1_000_000} megapixels "
                         f"(at most {MAX_SIDE} pixels a side): a decompression bomb is not a photo") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
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


def _check_name_and_type(upload, image_format: str) -> None:
    """The file's name and declared type, when they say anything, must say what the content is."""
    name = (getattr(upload, "name", "") or "").rsplit("/", 1)[-1]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension and extension not in EXTENSIONS[image_format]:
        raise PhotoError(f"media is named {name[:60]!r} but is a {image_format} image; name it .{ACCEPTED_FORMATS[image_format]}")
    declared = (getattr(upload, "content_type", "") or "").split(";")[0].strip().lower()
    lying = declared.startswith(("image/", "video/", "audio/")) or declared in ACTIVE_CONTENT_TYPES
    if lying and declared not in CONTENT_TYPES[image_format]:
        raise PhotoError(f"media is declared as {declared[:40]!r} but is a {image_format} image")


def _check_not_polyglot(data: bytes) -> None:
    """Refuse a photo that is also an archive or carries markup or script (a GIF/JS or JPEG/ZIP polyglot):
    the stored copy is re-encoded anyway, but such a file is an attack, not a photo."""
    lowered = data.lower()
    marker = next((m for m in MARKUP if m in lowered), None)
    if marker is not None:
        raise PhotoError(f"media holds {marker.decode()!r}: it is not only a photo")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            is_archive = bool(archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError):
        is_archive = False
    if is_archive:
        raise PhotoError("media is also a ZIP archive: it is not only a photo")

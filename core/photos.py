"""Checking and re-encoding uploaded photos (reports, proposals): JPEG, PNG or WebP by content, EXIF (and GPS) removed, resized."""
import io
import re
import struct
import uuid
import warnings
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import ServiceError

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
# Text that has no business in a photo's text metadata: a file holding it is also a web page or a script (a polyglot).
# Only text the format keeps as text is searched (JPEG comments and XMP, PNG text chunks, WebP XMP) and the
# first bytes after the image's end: never compressed or entropy-coded data, which spells anything by chance.
MARKUP = (b"<script", b"<html", b"<svg", b"<?php", b"<iframe", b"<!doctype", b"<body", b"javascript:")
# How much of what follows the image's end is searched: a trailer that is a page starts as one, while a camera's
# trailer (a motion photo's video, a second JPEG) starts with its own header.
TRAILER_HEAD = 64
# In JPEG entropy-coded data a 0xFF byte is followed by 0x00 (stuffing), a restart marker or fill 0xFF; anything
# else is the next marker.
_JPEG_MARKER = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")
_XMP = (b"http://ns.adobe.com/xap/1.0/\x00", b"http://ns.adobe.com/xmp/extension/\x00")


class PhotoError(ServiceError):
    """The upload is not a photo this server accepts; the message says why, `parameter` names the upload's field."""

    code = "photo_refused"


@dataclass
class ProcessedPhoto:
    photo: ContentFile
    thumbnail: ContentFile
    width: int
    height: int


def process_photo(upload, *, parameter: str = "photo") -> ProcessedPhoto:
    """Check an uploaded file by its content and return the cleaned photo and its thumbnail; PhotoError naming
    `parameter` (the form field the file came in) when it is refused."""
    try:
        return _processed_photo(upload)
    except PhotoError as exc:
        exc.parameter = parameter
        raise


def _processed_photo(upload) -> ProcessedPhoto:
    if upload.size > settings.PHOTO_MAX_BYTES:
        raise PhotoError(
            f"media is {upload.size / 1048576:.1f} MB; photos may be at most {settings.PHOTO_MAX_BYTES // 1048576} MB"
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
            _check_not_polyglot(data, image_format)
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
    image.thumbnail((settings.PHOTO_MAX_SIDE, settings.PHOTO_MAX_SIDE))
    thumbnail = image.copy()
    thumbnail.thumbnail((settings.PHOTO_THUMBNAIL_SIDE, settings.PHOTO_THUMBNAIL_SIDE))

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


def _check_not_polyglot(data: bytes, image_format: str) -> None:
    """Refuse a photo that is also an archive or whose text metadata or trailer is markup or script (a GIF/JS,
    JPEG/HTML or JPEG/ZIP polyglot): the stored copy is re-encoded anyway, but such a file is an attack, not a photo.
    Nothing here reads the image data itself, so no real photo can be refused by chance."""
    texts, end = {"JPEG": _jpeg_texts, "PNG": _png_texts, "WEBP": _webp_texts}[image_format](data)
    trailer_head = data[end:end + TRAILER_HEAD].lstrip(b"\x00\t\n\r ")
    for text in (*texts, trailer_head):
        lowered = text.lower()
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


def _jpeg_texts(data: bytes) -> tuple[list[bytes], int]:
    """A JPEG's comment and XMP segments, and where its end-of-image marker ends (or the data, if it has none).
    Walks the marker segments by their lengths; after each start-of-scan skips the entropy-coded data."""
    texts, at = [], 2  # after the start-of-image marker
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            break
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte before a marker
            at += 1
            continue
        if marker == 0xD9:  # end of image
            return texts, at + 2
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # markers without a length
            at += 2
            continue
        (length,) = struct.unpack(">H", data[at + 2:at + 4])
        segment = data[at + 4:at + 2 + length]
        if marker == 0xFE or (marker == 0xE1 and segment.startswith(_XMP)):
            texts.append(segment)
        at += 2 + length
        if marker == 0xDA:  # start of scan: entropy-coded data up to the next marker
            found = _JPEG_MARKER.search(data, at)
            at = found.start() if found else len(data)
    return texts, len(data)


def _png_texts(data: bytes) -> tuple[list[bytes], int]:
    """A PNG's uncompressed text chunks (tEXt, iTXt) and where its IEND chunk ends."""
    texts, at = [], 8  # after the signature
    while at + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        if kind in (b"tEXt", b"iTXt"):
            texts.append(data[at + 8:at + 8 + length])
        at += 12 + length  # length, type, data, CRC
        if kind == b"IEND":
            return texts, at
    return texts, len(data)


def _webp_texts(data: bytes) -> tuple[list[bytes], int]:
    """A WebP's XMP chunk and where its RIFF container ends."""
    (size,) = struct.unpack("<I", data[4:8])
    end, texts, at = min(8 + size, len(data)), [], 12  # after "RIFF", the size and "WEBP"
    while at + 8 <= end:
        kind, length = struct.unpack("<4sI", data[at:at + 8])
        if kind == b"XMP ":
            texts.append(data[at + 8:at + 8 + length])
        at += 8 + length + (length & 1)  # chunks are padded to an even length
    return texts, end

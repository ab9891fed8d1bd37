"""Request bodies that the API and the pages read alike (through core.bodies.validated, the one error model)."""
from rest_framework import serializers


class PhotoInputSerializer(serializers.Serializer):
    photo = serializers.FileField(help_text="JPEG, PNG or WebP; checked, EXIF and GPS removed, resized.")

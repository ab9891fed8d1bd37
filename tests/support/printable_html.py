"""What a printable (folium) page links to: the URLs of its <script src> and <link href>."""
import re


def linked_assets(html: str) -> list[str]:
    return re.findall(r'<script[^>]*\ssrc="([^"]+)"', html) + re.findall(r'<link[^>]*\shref="([^"]+)"', html)

"""Search keys for place names: Greek transliterated to Latin (ELOT 743), accents and case removed.

Both the stored names and the query go through `search_key`, so "Τσιμισκή", "tsimiski" and
"TSIMISKI street 45" meet, and pg_trgm compares what is left.
"""
import re
import unicodedata

_VOICELESS = set("θκξπστφχψ")
_DIGRAPHS = {"ου": "ou", "αι": "ai", "ει": "ei", "οι": "oi", "μπ": "mp", "ντ": "nt", "γκ": "gk", "γγ": "ng", "τσ": "ts", "τζ": "tz"}
_LETTERS = {
    "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "th", "ι": "i", "κ": "k",
    "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p", "ρ": "r", "σ": "s", "ς": "s", "τ": "t",
    "υ": "y", "φ": "f", "χ": "ch", "ψ": "ps", "ω": "o",
}


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


def transliterate(text: str) -> str:
    """Greek letters to Latin, the rest untouched; expects lower case without accents."""
    out = []
    i = 0
    while i < len(text):
        pair = text[i:i + 2]
        if pair in ("αυ", "ευ"):
            following = text[i + 2:i + 3]
            out.append(pair[0].replace("α", "a").replace("ε", "e") + ("f" if not following or following in _VOICELESS or not following.isalpha() else "v"))
            i += 2
        elif pair in _DIGRAPHS:
            out.append(_DIGRAPHS[pair])
            i += 2
        else:
            out.append(_LETTERS.get(text[i], text[i]))
            i += 1
    return "".join(out)


# Words that say what kind of place it is, and house numbers, say nothing about which place it is.
GENERIC_WORDS = {
    "odos", "odou", "street", "st", "str", "road", "rd", "avenue", "ave", "av", "leoforos", "leof", "plateia",
    "platia", "pl", "square", "sq", "the", "of", "and", "kai", "near", "konta", "apenanti", "opposite",
}


def search_key(text: str) -> str:
    """The form in which names are stored and compared: Latin script, lower case, no accents or punctuation,
    without generic words (street, square ...) and house numbers."""
    text = strip_accents(text.lower())
    text = transliterate(text)
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    significant = [w for w in words if w not in GENERIC_WORDS and not w.isdigit()]
    return " ".join(significant or words)

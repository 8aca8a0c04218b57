"""What the window says about an article's language: its name, and whether the figure
engine reads it (Chinese and English only; annotator.text.figures reads others as
neither, so an article in another language gets no claims)."""

from __future__ import annotations


from PySide6.QtCore import QLocale

READ_LANGUAGES = ("zh", "en")
UNDETERMINED = ("", "und", "mul", "zxx")


def base(code: str | None) -> str:
    """'zh-Hant' -> 'zh', 'en_GB' -> 'en', None -> ''."""
    return (code or "").replace("_", "-").split("-")[0].strip().lower()


def is_read(code: str | None) -> bool:
    return base(code) in READ_LANGUAGES


def language_name(code: str | None) -> str:
    """An ISO 639 code as its English name, by Qt's locale data ('ja' -> 'Japanese');
    a code Qt does not know is shown as it is."""
    b = base(code)
    if b in UNDETERMINED:
        return "an unrecognised language"
    locale = QLocale(b)
    if locale.language() in (QLocale.Language.C, QLocale.Language.AnyLanguage):
        return f"“{code}”"
    return QLocale.languageToString(locale.language())


def no_claims_note(language: str | None) -> str:
    """What the claims pane says for an article without claims."""
    if is_read(language):
        return "No figures were found in this article; it has no claims."
    if base(language) in UNDETERMINED:
        return ("Figures are read in Chinese and English only, and this article's language "
                "was not recognised; it has no claims.")
    return (f"Figures are not read in {language_name(language)}; this article has no "
            "claims. (Figures are read in Chinese and English.)")

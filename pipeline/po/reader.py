"""A fast reader of well-formed PO/POT text that makes exactly the catalog polib's parser makes.

``polib.pofile`` reads a file through a state machine with a method call, a regular expression and a
``re.sub`` callback per line; for the files a sync reads (our own writer's, msgmerge's, Poedit's) it is the
largest single cost of parsing. :func:`read_catalog` follows the same state machine (polib 1.2's
``_POFileParser``: its transitions, when an entry ends, how it splits ``#:`` references and ``#,`` flags,
the header's metadata, every quirk), on the line shapes gettext tools write (msgcat's ``--indent`` too):

- ``msgctxt "..."``, ``msgid "..."``, ``msgid_plural "..."``, ``msgstr "..."``, ``msgstr[N] "..."``
  (N one digit) and ``"..."`` continuation lines, each also after ``#~`` (obsolete);
- ``#|`` previous strings (``#| msgid "..."``, ``#| "..."``), ``#~|`` lines (which polib skips);
- comments ``#``, ``# ...``, ``## ...``, ``#. ...``, ``#: ...``, ``#, ...``, and blank lines;

white space after a marker or keyword as polib splits it. A string must open and close with a quote and
hold no unescaped quote. On any other line, and wherever polib would raise (a keyword out of place...), or
where polib's choice of the header entry is not simply the first entry, it returns None: the caller then
asks polib, which gives its own answer or error.

A file as gettext tools and our writer make it, entries one blank line apart and each its comments then its
keywords with whole string lines, is read a whole entry at a time (one regular expression, then only the
comment lines one by one), about twice as fast as line by line; the state machine reads every other file.

What it returns compares equal to polib's catalog in every attribute of the catalog and of each entry, their
order and types too, and the two readings make the same catalog of every file the first reads
(tests/test_po_reader.py).
"""

from __future__ import annotations

import re
from typing import Any

from pipeline.po.model import Catalog, Entry

__all__ = ["POLIB_VERSIONS", "read_catalog", "unescape"]

#: The polib releases whose parser this reader follows (parse_po asks polib itself under any other).
POLIB_VERSIONS = ("1.2.0",)

#: polib's test for a quote inside a string (of the text between the outer quotes): its parser raises.
_INNER_QUOTE = re.compile(r'([^\\]|^)"')
_SIMPLE_ESCAPES = (("\\n", "\n"), ("\\t", "\t"), ("\\r", "\r"), ("\\v", "\v"), ("\\b", "\b"),
                   ("\\f", "\f"), ('\\"', '"'))

# polib's transitions: the states each symbol is allowed in (then the state becomes the symbol; a
# translator comment at the start is the header's; a continuation line keeps the state).
_ALL = frozenset({"st", "he", "gc", "oc", "fl", "ct", "pc", "pm", "pp", "tc", "ms", "mp", "mx", "mi"})
_TC_FROM = frozenset({"gc", "oc", "fl", "tc", "pc", "pm", "pp", "ms", "mp", "mx", "mi"})
_CT_FROM = frozenset({"st", "he", "gc", "oc", "fl", "tc", "pc", "pm", "pp", "ms", "mx"})
_MI_FROM = _CT_FROM | {"ct"}
_MP_FROM = frozenset({"tc", "gc", "pc", "pm", "pp", "mi"})
_MS_FROM = frozenset({"mi", "mp", "tc"})
_MX_FROM = frozenset({"mi", "mx", "mp", "tc"})
_MC_FROM = frozenset({"ct", "mi", "mp", "ms", "mx", "pm", "pp", "pc"})
_ENDS_ENTRY = frozenset({"ms", "mx"})  # a new entry starts at a comment, msgctxt or msgid after these
_FROM = {"tc": _TC_FROM, "gc": _ALL, "oc": _ALL, "fl": _ALL, "pc": _ALL, "pm": _ALL, "pp": _ALL,
         "ct": _CT_FROM, "mi": _MI_FROM, "mp": _MP_FROM, "ms": _MS_FROM, "mx": _MX_FROM}
_PREVIOUS = (("#| msgid ", "pm", 9), ("#| msgctxt ", "pc", 11), ("#| msgid_plural ", "pp", 16))
_KEYWORD_SYMBOLS = {"msgid": "mi", "msgstr": "ms", "msgctxt": "ct", "msgid_plural": "mp"}
_PREVIOUS_SYMBOLS = {"msgid": "pm", "msgctxt": "pc", "msgid_plural": "pp"}
_STARTS_ENTRY = frozenset({"tc", "gc", "oc", "fl", "pc", "pm", "pp", "ct", "mi"})
_STRING_SYMBOLS = frozenset({"mc", "mx", "mi", "ms", "ct", "mp", "pm", "pc", "pp"})  # lines with a string
_COMMENT_HEADS = {"#. ": "gc", "#: ": "oc", "#, ": "fl"}
_COMMENT_SYMBOLS = {".": "gc", ":": "oc", ",": "fl"}
_new_entry = object.__new__
_DIGITS = frozenset("0123456789")


def unescape(text: str) -> str:
    """``text`` (a string's content between its quotes) with the escapes polib reads replaced, as
    ``polib.unescape`` makes it: ``\\\\ \\n \\t \\r \\v \\b \\f \\"``; any other backslash stays."""
    if "\\" not in text:
        return text
    if "\\\\" in text:  # a pair is one backslash: what follows it is no escape
        return "\\".join(map(unescape, text.split("\\\\")))
    for escape, char in _SIMPLE_ESCAPES:
        if escape in text:
            text = text.replace(escape, char)
    return text


def _new_fields(linenum: int) -> dict[str, Any]:
    """A fresh entry's attributes, as ``polib.POEntry(linenum=...)`` sets them."""
    return {"msgid": "", "msgstr": "", "msgid_plural": "", "msgstr_plural": {}, "msgctxt": None,
            "obsolete": False, "encoding": "utf-8", "comment": "", "tcomment": "", "occurrences": [],
            "flags": [], "previous_msgctxt": None, "previous_msgid": None, "previous_msgid_plural": None,
            "linenum": linenum}


_FIELD_OF_STATE = {"ct": "msgctxt", "mi": "msgid", "mp": "msgid_plural", "ms": "msgstr",
                   "pm": "previous_msgid", "pp": "previous_msgid_plural", "pc": "previous_msgctxt"}


def _keyword(line: str) -> tuple[str, str] | None:
    """(symbol, string token) of a ``msgctxt``/``msgid``/``msgid_plural``/``msgstr`` line as polib splits it
    (the keyword, white space, the rest), or None if the line is no such line."""
    parts = line.split(None, 1)
    found = _KEYWORD_SYMBOLS.get(parts[0])
    return (found, parts[1]) if found is not None and len(parts) == 2 else None


def _previous(line: str) -> tuple[str, str] | None:
    """(symbol, string token) of a ``#|`` line as polib splits it ("mc" for a continuation), or None."""
    for prefix, symbol, size in _PREVIOUS:  # the usual shape: one space each
        if line.startswith(prefix) and line[size:size + 1] == '"':
            return symbol, line[size:]
    parts = line.split(None, 2)
    if parts[0] != "#|" or len(parts) < 2:
        return None
    if parts[1].startswith('"'):
        return "mc", line[2:].lstrip()
    found = _PREVIOUS_SYMBOLS.get(parts[1])
    return (found, parts[2]) if found is not None and len(parts) == 3 else None


def _add_comment(fields: dict[str, Any], symbol: str, text: str) -> None:
    """Add what follows the marker of a ``#.`` (``gc``), ``#:`` (``oc``) or ``#,`` (``fl``) line to an entry's
    fields, as polib's parser does: comment lines joined, references split at white space and their last
    colon, flags at commas."""
    if symbol == "gc":
        fields["comment"] = fields["comment"] + "\n" + text if fields["comment"] != "" else text
    elif symbol == "oc":
        occurrences = fields["occurrences"]
        for occurrence in text.split():
            path, colon, number = occurrence.rpartition(":")
            occurrences.append((path, number) if colon and number.isdigit() else (occurrence, ""))
    else:
        fields["flags"] += [flag.strip() for flag in text.split(",")]


def read_catalog(text: str) -> Catalog | None:
    """The catalog ``polib.pofile`` makes of ``text`` (split at ``\\n`` only, encoding UTF-8, polib's
    default wrapwidth of 78), or None when the text has a line outside the shapes read here or one polib
    would refuse.

    A file as gettext tools write it (entries apart by one blank line, each its comments then its
    keywords) is read entry by entry (:func:`_read_by_entries`); any other, line by line through polib's state
    machine (:func:`_read_by_lines`). Both make the same catalog of what the first reads.
    """
    if text.startswith("\ufeff"):
        return None  # polib strips a byte order mark from the first line
    read = _read_by_entries(text)
    return _catalog(*read) if read is not None else _read_by_lines(text)


#: One entry as gettext tools write it: comment lines, then ``msgctxt``, ``msgid``, and ``msgstr`` or
#: ``msgid_plural`` and ``msgstr[N]``, each a string on its keyword's line and whole ``"..."`` lines after it,
#: then a blank line (or the end). Each string's lines are a group, from the opening quote to the last newline.
_STRING = r'"[^\n]*"\n(?:"[^\n]*"\n)*'
_ENTRY = re.compile(
    rf"(?P<comments>(?:#[^\n]*\n)*)(?:msgctxt (?P<msgctxt>{_STRING}))?msgid (?P<msgid>{_STRING})"
    rf"(?:msgid_plural (?P<plural>{_STRING})(?P<forms>(?:msgstr\[[0-9]\] {_STRING})+)|msgstr (?P<msgstr>{_STRING}))"
    r"(?:\n|\Z)")
_FORM = re.compile(rf"msgstr\[([0-9])\] ({_STRING})")


def _string(lines: str) -> str | None:
    """The value of a string's lines (``"..."\\n`` each) as polib reads them, or None for one it refuses (a
    quote inside a line)."""
    pieces = lines[1:-2].split('"\n"')
    for piece in pieces:
        if '"' in piece and _INNER_QUOTE.search(piece):
            return None
    if "\\" in lines:
        return "".join(map(unescape, pieces))  # each line on its own: an escape never spans two
    return "".join(pieces)


def _read_by_entries(text: str) -> tuple[list[Entry], str] | None:  # noqa: C901, PLR0912 (one pass, inlined)
    """(entries, header comment) of a text made only of entries of the :data:`_ENTRY` shape, with comment
    lines polib reads as :func:`_read_by_lines` reads them; None for any other text (that function decides)."""
    entries: list[Entry] = []
    header = ""
    position, line, size = 0, 1, len(text)
    match_entry = _ENTRY.match
    while position < size:
        found = match_entry(text, position)
        if found is None:
            return None
        fields = _new_fields(line if entries else 0)
        comments = found["comments"]
        if comments:
            previous = ""   # the #| field a "#| \"...\"" line continues
            header_lines = not entries  # a translator comment before any other line of the first entry: the file's
            for raw in comments[:-1].split("\n"):
                comment = raw.strip()
                head = comment[:3]
                symbol = _COMMENT_HEADS.get(head)
                if symbol is not None:
                    _add_comment(fields, symbol, comment[3:])
                elif head == "#| ":
                    name, _, token = comment[3:].partition(" ")
                    header_lines = False
                    if comment.startswith('#| "') and previous:
                        if len(comment) < 5 or not comment.endswith('"') or (value := _string(comment[3:] + "\n")) is None:
                            return None
                        fields[previous] += value
                        continue
                    if name not in _PREVIOUS_SYMBOLS or not token.startswith('"') or len(token) < 2 \
                            or not token.endswith('"') or (value := _string(token + "\n")) is None:
                        return None
                    previous = "previous_" + name
                    fields[previous] = value
                    continue
                elif comment == "#" or head[:2] == "# ":
                    tcomment = comment[2:]
                    if header_lines:
                        header = header + "\n" + tcomment if header != "" else tcomment
                        continue
                    fields["tcomment"] = fields["tcomment"] + "\n" + tcomment if fields["tcomment"] != "" \
                        else tcomment
                else:
                    return None  # "#~", "#.", "##", "#x"...: the state machine knows what polib makes of them
                previous, header_lines = "", False
        for name in ("msgctxt", "msgid", "plural", "msgstr"):
            lines = found[name]
            if lines is not None:
                value = _string(lines)
                if value is None:
                    return None
                fields["msgid_plural" if name == "plural" else name] = value
        fields["obsolete"] = 0  # as polib's parser sets it (an int)
        forms = found["forms"]
        if forms is not None:
            plural = fields["msgstr_plural"]
            for index, lines in _FORM.findall(forms):
                value = _string(lines)
                if value is None:
                    return None
                plural[int(index)] = value
        entry = _new_entry(Entry)
        entry.__dict__ = fields
        entries.append(entry)
        line += found.group().count("\n")
        position = found.end()
    return entries, header


def _read_by_lines(text: str) -> Catalog | None:  # noqa: C901, PLR0912, PLR0915 (one state machine, inlined)
    """:func:`read_catalog` line by line, as polib's state machine reads a file."""
    entries: list[Entry] = []
    fields: dict[str, Any] = _new_fields(0)
    state = "st"
    header = ""
    plural_index = 0
    last_is_comment: bool | None = None  # whether the last non-blank line was a comment (None: no line)
    for number, line in enumerate(text.split("\n"), 1):
        line = line.strip()
        if not line:
            continue
        first = line[0]
        obsolete = 0
        symbol = ""
        token = line
        if first == "#":
            last_is_comment = True
            symbol = _COMMENT_HEADS.get(line[:3], "")  # the usual "#. ", "#: ", "#, "
            second, third = line[1:2], line[2:3]
            if symbol:
                pass
            elif second == "~":
                if line.startswith("#~|") and (len(line) == 3 or line[3].isspace()):
                    continue  # polib skips the previous strings of obsolete entries
                if not third.isspace():
                    return None
                line = token = line[3:].lstrip()
                first = line[0]
                if first == "#":
                    return None
                obsolete = 1
                last_is_comment = False
            elif second == "|":
                if not third.isspace() or (previous := _previous(line)) is None:
                    return None
                symbol, token = previous
            elif second == "" or second == "#" or second.isspace():
                symbol = "tc"
                if state == "st" or state == "he":  # a comment before the first entry is the header's
                    header = header + "\n" + line[2:] if header != "" else line[2:]
                    state = "he"
                    continue
            elif not third.isspace():
                if third == "" and second in ".:,":
                    continue  # an empty #. #: #, line: polib skips it
                return None
            else:
                symbol = _COMMENT_SYMBOLS.get(second, "")
                if not symbol:
                    return None
        else:
            last_is_comment = False
        if not symbol:
            if first == '"':
                symbol = "mc"
            elif first != "m":
                return None
            elif line.startswith("msgstr["):
                if line[7:8] not in _DIGITS or line[8:9] != "]" or not line[9:10].isspace():
                    return None
                symbol, token = "mx", line[9:].lstrip()
                plural_index = int(line[7])
            else:
                space = line.find(" ")  # the usual shape: one space before the string
                symbol = _KEYWORD_SYMBOLS.get(line[:space], "") if space > 0 else ""
                if symbol and line[space + 1:space + 2] == '"':
                    token = line[space + 1:]
                elif (keyword := _keyword(line)) is not None:
                    symbol, token = keyword
                else:
                    return None
        if symbol in _STRING_SYMBOLS:  # its string: quoted, no quote inside unless escaped
            if len(token) < 2 or token[-1] != '"' or token[0] != '"':
                return None
            value = token[1:-1]
            if '"' in value and _INNER_QUOTE.search(value):
                return None
            if "\\" in value:
                value = unescape(value)
            if symbol == "mc":
                if state not in _MC_FROM:
                    return None
                if state == "mx":
                    fields["msgstr_plural"][plural_index] += value
                else:
                    fields[_FIELD_OF_STATE[state]] += value
                continue
        if state not in _FROM[symbol]:
            return None
        if state in _ENDS_ENTRY and symbol in _STARTS_ENTRY:
            entry = _new_entry(Entry)
            entry.__dict__ = fields
            entries.append(entry)
            fields = _new_fields(number)
        state = symbol
        if symbol in ("gc", "oc", "fl"):
            _add_comment(fields, symbol, line[3:])
        elif symbol == "tc":
            comment = line.lstrip("#")
            if comment.startswith(" "):
                comment = comment[1:]
            fields["tcomment"] = fields["tcomment"] + "\n" + comment if fields["tcomment"] != "" else comment
        elif symbol == "mx":
            fields["msgstr_plural"][plural_index] = value
        else:
            if symbol == "mi":
                fields["obsolete"] = obsolete
            fields[_FIELD_OF_STATE[symbol]] = value
    if last_is_comment is False:  # polib adds the last entry unless the file ends with a comment
        entry = _new_entry(Entry)
        entry.__dict__ = fields
        entries.append(entry)
    return _catalog(entries, header)


def _catalog(entries: list[Entry], header: str) -> Catalog | None:
    """The catalog of ``entries``, its header entry (polib's choice of it) taken out into its metadata."""
    po = Catalog(encoding="utf-8", check_for_duplicates=False)
    po.wrapwidth = 78  # what polib.pofile sets, whatever the class's default
    po.header = header
    list.extend(po, entries)
    headers = [e for e in entries if e.msgid == "" and not e.obsolete]
    if not headers:
        return po
    if len(headers) > 1 or headers[0] is not entries[0]:
        return None  # polib's choice among several, and list.remove by its __eq__: left to polib
    metadata = entries[0]
    list.pop(po, 0)
    vars(po)["metadata_is_fuzzy"] = metadata.flags  # polib's parser keeps the header's flags (types-polib: bool)
    key = None
    for line in metadata.msgstr.splitlines():
        name, colon, value = line.partition(":")
        if colon:
            key = name
            po.metadata[key] = value.strip()
        elif key is not None:
            po.metadata[key] += "\n" + line.strip()
    return po

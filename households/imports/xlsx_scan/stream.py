"""Reading an archive's part with bounded memory: in pieces that never cut a tag, or with expat."""

import re
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from xml.parsers import expat

from households.imports.xlsx_scan.facts import Damaged

CHUNK = 1 << 20
MAX_RUN = 4 << 20  # bytes without a '>' in a part: no spreadsheet program writes that


@contextmanager
def zip_errors():
    """A part that does not inflate to its declared size and checksum is a damaged file."""
    try:
        yield
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError) as error:
        raise Damaged("the archive does not inflate") from error


def pieces(archive: zipfile.ZipFile, part: str, delimiter: bytes = b">") -> Iterator[bytes | None]:
    """The part's bytes in pieces of about CHUNK that each end just after `delimiter`, so that no
    piece cuts a tag; None once a run without it grows past MAX_RUN (then only expat can say)."""
    carry = b""
    with archive.open(part) as stream:  # zipfile stops at the declared size and checks the CRC
        while block := stream.read(CHUNK):
            data = carry + block
            end = data.rfind(delimiter)
            if end < 0:
                if len(data) > MAX_RUN:
                    yield None
                    return
                carry = data
                continue
            end += len(delimiter)
            yield data[:end]
            carry = data[end:]
    if carry:
        yield carry


_PROLOG = re.compile(rb"(?:\xef\xbb\xbf)?\s*(?:<\?xml([^>]*)>)?")
_ENCODING = re.compile(rb"""encoding\s*=\s*["']([^"']*)""")


def prolog_end(first: bytes) -> int | None:
    """Where the content starts, after the XML declaration; None unless the part is UTF-8 without a
    document type (then the bytes mean what the byte patterns look for)."""
    if first.startswith((b"\xfe\xff", b"\xff\xfe")) or b"\x00" in first[:4]:
        return None
    prolog = _PROLOG.match(first)
    encoding = _ENCODING.search(prolog.group(1) or b"")
    if encoding and encoding.group(1).lower() not in (b"utf-8", b"utf8"):
        return None
    if b"<!" in first:
        return None
    return prolog.end()


def expat_run(archive, part, start, end, text) -> None:
    """Stream the part through expat with these handlers (attributes as a flat list, in order); a
    document type (entities could expand) or malformed XML is a damaged file."""
    parser = expat.ParserCreate()
    parser.ordered_attributes = True
    parser.buffer_text = True
    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, text

    def refuse(*_arguments):
        raise Damaged("a document type declaration")

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    try:
        with archive.open(part) as stream:
            while block := stream.read(CHUNK):
                parser.Parse(block, False)
        parser.Parse(b"", True)
    except expat.ExpatError as error:
        raise Damaged("malformed XML") from error

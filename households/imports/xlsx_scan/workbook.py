"""The parts of the archive calamine will read, found where calamine 0.37 finds them."""

import zipfile
from array import array
from xml.etree.ElementTree import ParseError, fromstring

from households.imports.xlsx_scan.facts import CellMarks, Damaged, Limits, PartTooLarge, Texts
from households.imports.xlsx_scan.sheets import scan_sheet
from households.imports.xlsx_scan.stream import zip_errors
from households.imports.xlsx_scan.texts import measure_texts

SMALL_PART = 8_000_000  # the package's and the workbook's relationships, workbook.xml
STYLES_PART = 32_000_000  # styles.xml, which calamine also reads when it opens the workbook
# what calamine's xlsb reader opens, which it tries when the xlsx reader fails
SECOND_FORMATS = ("xl/workbook.bin", "xl/styles.bin", "xl/sharedStrings.bin")


class Workbook:
    """The archive as calamine will read it; raises `Refusal` for what calamine must not open."""

    def __init__(self, archive: zipfile.ZipFile, limits: Limits):
        self.archive = archive
        self.limits = limits
        self.by_key: dict[str, str] = {}
        for name in archive.namelist():
            key = _ascii_lower(name.replace("\\", "/"))
            if key in self.by_key:
                raise Damaged("two parts with the same name")
            self.by_key[key] = name
        # calamine tries its xlsb reader when the xlsx one fails: it must find nothing to read
        if any(self._find(path) for path in SECOND_FORMATS) or "xl/_rels/workbook.bin.rels" in self.by_key:
            raise Damaged("parts of another format")
        folder = self._workbook_folder()
        self.sheets = self._sheet_parts(folder)  # name → part (None: calamine will not find it)
        styles = self._find(f"{folder}styles.xml")
        if styles:
            self._check_size(styles, STYLES_PART)
        texts_part = self._find(f"{folder}sharedStrings.xml")
        self.texts = measure_texts(archive, texts_part, limits) if texts_part else Texts(array("I"))
        self.measured_exactly: set[str] = set()  # sheets the fast pass could not vouch for

    def scan(self, sheet: str) -> CellMarks:
        """Measure a sheet before calamine builds it; raises `Refusal`."""
        if sheet not in self.sheets:
            raise Damaged("a sheet the workbook does not list")
        part = self.sheets[sheet]
        if part is None:
            return CellMarks()  # calamine will fail to find it too, and say so
        marks, exact = scan_sheet(self.archive, part, self.limits, self.texts, sheet)
        if exact:
            self.measured_exactly.add(sheet)
        return marks

    # --- where calamine looks ----------------------------------------------------------------

    def _find(self, path: str) -> str | None:
        name = self.by_key.get(_ascii_lower(path))
        if name is None and path in self.archive.NameToInfo:
            name = path
        return name

    def _workbook_folder(self) -> str:
        rels = self._find("_rels/.rels")
        if rels is None:
            raise Damaged("no package relationships")
        target = None
        for element in _relationships(self._small_xml(rels)):
            kind = element.get("Type") or ""
            if kind.endswith("/relationships/officeDocument") and element.get("Target") is not None:
                target = element.get("Target")
        if target is None:
            raise Damaged("no workbook in the package relationships")
        folder = target[: target.rfind("/") + 1]
        return folder.removeprefix("/")

    def _sheet_parts(self, folder: str) -> dict[str, str | None]:
        rels_part = self._find(f"{folder}_rels/workbook.xml.rels")
        if rels_part is None:
            raise Damaged("no workbook relationships")
        raw = self._read_small(rels_part)
        if b"&" in raw:  # calamine reads targets and ids raw, expat unescaped: they must be the same
            raise Damaged("escaped text in the workbook relationships")
        targets = {}
        for element in _relationships(_parse(raw)):
            if element.get("Id") is not None:
                targets[element.get("Id")] = (element.get("Target") or "", element.get("Type") or "")
        workbook = self._find(f"{folder}workbook.xml")
        sheets: dict[str, str | None] = {}
        if workbook is None:
            return sheets
        for element in self._small_xml(workbook).iter():
            if _local(element.tag) != "sheet":
                continue
            ids = [value for key, value in element.attrib.items() if _local(key) == "id"]
            relation = targets.get(ids[-1] if ids else "")
            if relation is None:
                raise Damaged("a sheet without a relationship")
            target, kind = relation
            if kind.rpartition("/")[2] not in ("worksheet", "chartsheet", "dialogsheet"):
                raise Damaged("a sheet of an unknown type")
            path = target[1:] if target.startswith("/") else f"{folder}{target}"
            sheets.setdefault(element.get("name", ""), self._find(path))
        return sheets

    def _check_size(self, part: str, limit: int) -> int:
        size = self.archive.getinfo(part).file_size
        if size > limit:
            raise PartTooLarge(part=part, size=size, limit=limit)
        return size

    def _read_small(self, part: str) -> bytes:
        self._check_size(part, SMALL_PART)
        with zip_errors():
            return self.archive.read(part)

    def _small_xml(self, part: str):
        return _parse(self._read_small(part))


def _parse(raw: bytes):
    if b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
        raise Damaged("a document type declaration")
    try:
        return fromstring(raw)
    except (ParseError, ValueError) as error:
        raise Damaged("malformed XML") from error


def _relationships(root) -> list:
    """calamine reads the Relationship elements inside the first Relationships element."""
    if _local(root.tag) != "Relationships" or any(
        _local(element.tag) == "Relationships" for element in root.iter() if element is not root
    ):
        raise Damaged("unexpected relationships")
    return [element for element in root.iter() if _local(element.tag) == "Relationship"]


def _local(name: str) -> str:
    return name.rpartition("}")[2].rpartition(":")[2]


_ASCII_LOWER = {code: code + 32 for code in range(ord("A"), ord("Z") + 1)}


def _ascii_lower(text: str) -> str:
    return text.translate(_ASCII_LOWER)

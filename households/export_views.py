"""Downloads of the lists as CSV (streamed) or XLSX (written to a temporary file, then sent)."""

import tempfile
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from households import exports

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@login_required
@require_GET
def household_export(request, list_name, fmt):
    export = exports.export_for_user(user=request.user, list_name=list_name, fmt=fmt)
    if fmt == "csv":
        response = StreamingHttpResponse(exports.csv_chunks(export), content_type=CONTENT_TYPES[fmt])
    else:
        # openpyxl cannot write to a socket: the file goes to disk row by row, then out. It is
        # deleted when the response is closed (personal data).
        file = tempfile.NamedTemporaryFile(prefix="export-", suffix=".xlsx")
        try:
            exports.write_xlsx(export, file)
            file.seek(0)
        except BaseException:
            file.close()
            raise
        response = FileResponse(file, content_type=CONTENT_TYPES[fmt])
    ascii_name, readable = exports.filenames(export, timezone.localdate())
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(readable, safe='')}"
    )
    response["Cache-Control"] = "private, no-store"  # personal data
    return response

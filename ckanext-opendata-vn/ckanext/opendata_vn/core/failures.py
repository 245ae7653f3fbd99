"""Harvest failures: one cause, told in Vietnamese and English, naming the source."""
from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

# cause code → (Vietnamese, English); {placeholders} are filled from the failure's params
CAUSES: dict[str, tuple[str, str]] = {
    "unreachable": ("không kết nối được tới máy chủ {host} ({detail})",
                    "could not connect to the server {host} ({detail})"),
    "timeout": ("máy chủ không phản hồi trong {seconds} giây",
                "the server did not respond within {seconds} seconds"),
    "http_error": ("máy chủ trả về lỗi HTTP {status}",
                   "the server answered with HTTP error {status}"),
    "html": ("nhận được một trang web (HTML) thay vì dữ liệu — đường dẫn sai hoặc trang yêu cầu đăng nhập",
             "received a web page (HTML) instead of data — a wrong link or a login page"),
    "not_workbook": ("tệp tải về không phải bảng tính Excel (.xlsx, .xls) hay tệp CSV",
                     "the downloaded file is not an Excel workbook (.xlsx, .xls) or a CSV file"),
    "corrupt": ("bảng tính bị hỏng, không đọc được ({detail})",
                "the workbook is corrupt and cannot be read ({detail})"),
    "password": ("bảng tính được đặt mật khẩu; hãy công bố tệp không đặt mật khẩu",
                 "the workbook is password-protected; publish it without a password"),
    "sheet_not_found": ("không có trang tính «{sheet}» (các trang tính: {names})",
                        "there is no sheet «{sheet}» (sheets: {names})"),
    "empty": ("trang tính «{sheet}» không có dữ liệu",
              "sheet «{sheet}» contains no data"),
    "no_rows": ("có dòng tiêu đề nhưng không có dòng dữ liệu nào",
                "there is a header row but no data rows"),
    "no_header": ("không tìm thấy dòng tiêu đề cột trong trang tính «{sheet}»; hãy khai báo «Dòng tiêu đề» của nguồn",
                  "no column header row found in sheet «{sheet}»; set the source's header row"),
    "header_row_empty": ("dòng tiêu đề khai báo (dòng {row}) trống",
                         "the configured header row (row {row}) is empty"),
    "columns_changed": ("các cột đã thay đổi so với lần thu thập trước ({changes}); dữ liệu đã công bố được giữ nguyên. "
                        "Nếu thay đổi là chủ ý, hãy sửa nguồn và chọn «Chấp nhận cột mới»",
                        "the columns changed since the last harvest ({changes_en}); the published data was kept. "
                        "If the change is intended, edit the source and tick «Accept new columns»"),
    "invalid_json": ("dữ liệu trả về không phải JSON hợp lệ ({detail})",
                     "the response is not valid JSON ({detail})"),
    "records_path": ("không tìm thấy danh sách bản ghi tại «{path}» trong dữ liệu trả về",
                     "no list of records at «{path}» in the response"),
    "no_records": ("nguồn không trả về bản ghi nào",
                   "the source returned no records"),
    "too_many_pages": ("nguồn có hơn {pages} trang; đã dừng để tránh lặp vô hạn",
                       "the source has more than {pages} pages; stopped to avoid an endless loop"),
    "too_large": ("dữ liệu tải về vượt quá giới hạn {limit_mb} MB",
                  "the download exceeds the {limit_mb} MB limit"),
    "secret_missing": ("khoá bí mật «{name}» không dùng được cho nguồn này (khoá phải được cấu hình trên máy chủ "
                       "cho đúng đơn vị và máy chủ nguồn); hãy liên hệ quản trị hệ thống",
                       "the secret «{name}» cannot be used by this source (it must be configured on the server "
                       "for this agency and this host); ask the system administrator"),
    "refused_address": ("không tải từ {host}: {reason}. Cổng chỉ tải dữ liệu từ địa chỉ công khai; máy chủ của "
                        "đơn vị trên mạng nội bộ tỉnh (LGSP) phải được quản trị hệ thống cho phép cho đơn vị",
                        "refused to fetch from {host}: {reason_en}. The portal only fetches from public addresses; "
                        "an agency server on the provincial network (LGSP) must be allowed for the agency by "
                        "the system administrator"),
    "next_other_host": ("liên kết trang tiếp theo trỏ sang máy chủ khác ({host}); chỉ đọc các trang trên cùng máy chủ nguồn",
                        "the next-page link points to another server ({host}); only pages on the source's own "
                        "server are read"),
    "dataset_missing": ("tập dữ liệu gắn với nguồn không còn tồn tại",
                        "the dataset attached to the source no longer exists"),
    "org_mismatch": ("nguồn thuộc đơn vị khác với đơn vị chủ trì của tập dữ liệu; hãy tạo lại nguồn từ trang tập dữ liệu",
                     "the source belongs to another agency than the dataset's lead agency; recreate it from the dataset page"),
    "invalid_config": ("cấu hình nguồn không hợp lệ: {detail}",
                       "the source configuration is invalid: {detail}"),
    "publish_failed": ("không cập nhật được tập dữ liệu: {detail}",
                       "could not update the dataset: {detail}"),
    "job_timeout": ("công việc thu thập bị dừng vì không hoàn thành sau {minutes} phút",
                    "the harvest job was stopped because it did not finish within {minutes} minutes"),
    "internal": ("lỗi hệ thống khi thu thập ({detail})",
                 "internal error while harvesting ({detail})"),
}

SEPARATOR = "\n"


def public_url(url: str | None) -> str:
    """The URL without query string, fragment or credentials: safe to show anywhere."""
    if not url:
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


class HarvestFailure(Exception):
    """A harvest that must end as failed, leaving the published data untouched."""

    def __init__(self, code: str, **params):
        self.code = code if code in CAUSES else "internal"
        self.params = {k: ("" if v is None else v) for k, v in params.items()}
        super().__init__(self.cause_en)

    def _fill(self, template: str) -> str:
        try:
            return template.format(**self.params)
        except (KeyError, IndexError, ValueError):
            return template

    @property
    def cause_vi(self) -> str:
        return self._fill(CAUSES[self.code][0])

    @property
    def cause_en(self) -> str:
        return self._fill(CAUSES[self.code][1])

    def message(self, title: str, url: str | None) -> str:
        """Stored as the job's error: Vietnamese line, then English line."""
        where = f"«{title}»" + (f" ({public_url(url)})" if url else "")
        return (f"Nguồn {where}: {self.cause_vi}.{SEPARATOR}"
                f"Source {where}: {self.cause_en}.")


def split_message(message: str | None) -> tuple[str, str]:
    """(Vietnamese, English) from a stored message; foreign messages go to both."""
    message = (message or "").strip()
    if SEPARATOR in message:
        vi, en = message.split(SEPARATOR, 1)
        if vi.startswith("Nguồn ") and en.startswith("Source "):
            return vi, en
    return message, message

"""The one exception type for unusable input (exit code 2)."""
from __future__ import annotations


class InputError(Exception):
    """Input that cannot be used. ``str(err)`` is a one-paragraph Chinese message
    naming the file and, where it applies, the sheet, cell or data key."""

    def __init__(self, message: str, *, path: str | None = None, where: str | None = None):
        self.path = path
        self.where = where
        self.detail = message
        parts = []
        if path:
            parts.append(f"文件「{path}」")
        if where:
            parts.append(f"位置 {where}")
        prefix = "，".join(parts)
        super().__init__(f"{prefix}：{message}" if prefix else message)

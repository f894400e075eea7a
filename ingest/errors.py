"""Ingest errors carry the file and a reason a staff member can act on.

The loaders' reasons are English (they are matched and logged); ``reason_ja`` and
``bilingual`` give what a person reads, Japanese first, each saying what to do: the upload
API and the ``planqa ingest`` / ``planqa index`` commands show the same words.
"""

from __future__ import annotations

import re


class IngestError(Exception):
    """A plan file could not be read; the rest of the run goes on."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


# (a part of the English reason, the Japanese with what to do, the English of what to do
# when the reason does not say it). First match wins: "no such file or directory" before
# "is a directory", "has no text layer" before "no text".
_REASONS = (
    (
        "UTF-16 without a byte-order mark",
        "BOM（バイト順マーク）のない UTF-16 のようです。UTF-8 か、BOM 付きの UTF-16 で保存し直してください",
        None,
    ),
    ("no such file", "ファイルがありません。パスを確かめてください", "check the path"),
    (
        "no plan files",
        "このフォルダには計画ファイル（.txt .md .markdown .pdf）がありません。フォルダを確かめてください",
        "check the folder",
    ),
    ("is a directory", "フォルダです。中のファイルかフォルダそのものを指定してください", None),
    (
        "permission denied",
        "ファイルを読む権限がありません。ファイルの権限を確かめてください",
        "check the file's permissions",
    ),
    (
        "unsupported file type",
        "この形式のファイルは読めません。.txt .md .pdf のどれかで保存し直してください",
        "save it as one of them",
    ),
    ("empty", "ファイルが空です。中身のあるファイルを指定してください", "give a file with text"),
    (
        "binary",
        "テキストではなくバイナリのファイルのようです。テキスト（UTF-8）か PDF で保存し直してください",
        "save it as UTF-8 text or PDF",
    ),
    (
        "neither UTF-8",
        "文字コードを判別できません（読めるのは UTF-8、Shift_JIS/CP932、EUC-JP、BOM 付きの UTF-16）。"
        "UTF-8 で保存し直してください",
        None,
    ),
    ("invalid", "文字コードが正しくありません。UTF-8 で保存し直してください", "save it as UTF-8"),
    (
        "has no text layer",
        "PDF に文字情報がありません（スキャン画像？）。OCR をかけてください",
        None,
    ),
    ("encrypted", "PDF が暗号化されています。保護のないコピーを保存してください", None),
    (
        "damaged",
        "PDF が壊れているか途中までしかありません。元のファイルから PDF を作り直してください",
        "make the PDF again from its source",
    ),
    ("not a PDF", "PDF ではありません。ファイルの形式を確かめてください", "check the file's type"),
    (
        "no pages",
        "PDF にページがありません。ページのある PDF を指定してください",
        "give a PDF with pages",
    ),
    (
        "no text",
        "索引にする文章がありません。文章のあるファイルを指定してください",
        "give a file with text",
    ),
)
_OTHER_JA = "ファイルを読み込めません。ファイルの中身と形式を確かめてください"


# "invalid utf-16 at byte 48": the Japanese names the encoding and the byte too
_INVALID_AT = re.compile(r"^invalid (\S+) at byte (\d+)$")


def reason_ja(reason: str) -> str:
    """Japanese for a loader's reason, with what to do; a general sentence for one not
    listed."""
    invalid = _INVALID_AT.match(reason)
    if invalid:
        encoding, at = invalid.groups()
        return (
            f"{encoding.upper()} として読めないバイトがあります（{at} バイト目）。"
            "UTF-8 で保存し直してください"
        )
    return next((japanese for key, japanese, _ in _REASONS if key in reason), _OTHER_JA)


def reason_en(reason: str) -> str:
    """A loader's reason in English with what to do, as ``reason_ja`` says it."""
    action = next((english for key, _, english in _REASONS if key in reason), None)
    return f"{reason}; {action}" if action else reason


def bilingual(reason: str) -> str:
    """``日本語 / English`` for a loader's reason, each half saying what to do."""
    return f"{reason_ja(reason)} / {reason_en(reason)}"

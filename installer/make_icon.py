"""Draw the app icon (a white house with a check mark on a blue tile) with QPainter and write
`installer/bwo-desktop.ico` (16-256 px) and `installer/bwo-desktop.png` (256 px).

    .venv/bin/python installer/make_icon.py

The files are committed; run this again only to change the icon. The .ico holds classic
32-bit BMP entries up to 48 px (for the oldest readers, Inno Setup included) and PNG entries
from 64 px up, as Windows itself does.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QImage,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPen,
)

HERE = Path(__file__).resolve().parent
SIZES = (16, 24, 32, 48, 64, 128, 256)
BMP_UP_TO = 48
TOP = QColor("#2C6FB7")
BOTTOM = QColor("#1B4A80")
CHECK = QColor("#1F8A4C")


def draw(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    s = float(size)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)

    # Tile: a rounded square with a soft vertical gradient.
    margin = max(0.5, s * 0.03)
    tile = QRectF(margin, margin, s - 2 * margin, s - 2 * margin)
    gradient = QLinearGradient(tile.topLeft(), tile.bottomLeft())
    gradient.setColorAt(0.0, TOP)
    gradient.setColorAt(1.0, BOTTOM)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QBrush(gradient))
    p.drawRoundedRect(tile, s * 0.2, s * 0.2)

    # House: roof and walls in one white shape.
    house = QPainterPath()
    house.moveTo(QPointF(s * 0.50, s * 0.16))
    house.lineTo(QPointF(s * 0.86, s * 0.48))
    house.lineTo(QPointF(s * 0.76, s * 0.48))
    house.lineTo(QPointF(s * 0.76, s * 0.84))
    house.lineTo(QPointF(s * 0.24, s * 0.84))
    house.lineTo(QPointF(s * 0.24, s * 0.48))
    house.lineTo(QPointF(s * 0.14, s * 0.48))
    house.closeSubpath()
    p.setBrush(QColor("white"))
    p.drawPath(house)

    # Check mark inside the house: the decision is made.
    pen = QPen(CHECK, max(1.6, s * 0.085))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    p.setPen(pen)
    p.setBrush(Qt.BrushStyle.NoBrush)
    check = QPainterPath()
    check.moveTo(QPointF(s * 0.35, s * 0.63))
    check.lineTo(QPointF(s * 0.46, s * 0.73))
    check.lineTo(QPointF(s * 0.66, s * 0.53))
    p.drawPath(check)
    p.end()
    return image.convertToFormat(QImage.Format.Format_ARGB32)


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise RuntimeError("PNG schrijven mislukt")
    buffer.close()
    return bytes(data.data())


def bmp_entry(image: QImage) -> bytes:
    """An ICO image entry as a DIB: BITMAPINFOHEADER, BGRA rows bottom-up, AND mask."""
    size = image.width()
    header = struct.pack("<IiiHHIIiiII", 40, size, size * 2, 1, 32, 0, 0, 0, 0, 0, 0)
    rows = []
    for y in range(size - 1, -1, -1):
        row = bytearray()
        for x in range(size):
            argb = image.pixel(x, y)
            row += struct.pack("<I", argb)  # little-endian ARGB32 = B, G, R, A in memory
        rows.append(bytes(row))
    mask_row = ((size + 31) // 32) * 4
    mask = bytes(mask_row * size)  # all zero: the alpha channel decides
    return header + b"".join(rows) + mask


def ico_bytes(images: dict[int, QImage]) -> bytes:
    entries = []
    for size, image in sorted(images.items()):
        entries.append((size, bmp_entry(image) if size <= BMP_UP_TO else png_bytes(image)))
    out = struct.pack("<HHH", 0, 1, len(entries))
    offset = 6 + 16 * len(entries)
    blobs = b""
    for size, blob in entries:
        dim = 0 if size >= 256 else size  # 0 means 256 in an ICONDIRENTRY
        out += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(blob), offset)
        offset += len(blob)
        blobs += blob
    return out + blobs


def main(out_dir: Path = HERE) -> int:
    images = {size: draw(size) for size in SIZES}
    (out_dir / "bwo-desktop.ico").write_bytes(ico_bytes(images))
    (out_dir / "bwo-desktop.png").write_bytes(png_bytes(images[256]))
    sys.stdout.write(
        f"geschreven: {out_dir / 'bwo-desktop.ico'} en {out_dir / 'bwo-desktop.png'}\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

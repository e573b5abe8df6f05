"""Generated files for demo content and tests: pictures drawn with Pillow and minimal PDFs."""

import io
import random

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

PALETTES = [
    ((18, 53, 91), (64, 141, 196)),
    ((120, 30, 40), (230, 120, 80)),
    ((20, 90, 70), (140, 200, 150)),
    ((70, 50, 110), (190, 150, 220)),
    ((90, 70, 20), (230, 200, 110)),
    ((30, 30, 30), (150, 160, 170)),
]


def demo_image(seed, size=(960, 540), fmt="JPEG"):
    """An abstract picture (gradient, sun, hills) that differs by ``seed``; no real photograph."""
    rng = random.Random(seed)  # noqa: S311 - pictures, not secrets
    width, height = size
    top, bottom = PALETTES[seed % len(PALETTES)]
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / height
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)),
        )
    r = rng.randint(height // 10, height // 5)
    cx, cy = rng.randint(r, width - r), rng.randint(r, height // 2)
    draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=(250, 235, 190))
    for layer in range(3):
        base = height * (0.6 + 0.12 * layer)
        points = [(0, height)]
        for x in range(0, width + 80, 80):
            points.append((x, base + rng.randint(-40, 40)))
        points.append((width, height))
        shade = 40 + 30 * layer
        draw.polygon(points, fill=(shade // 2, shade, shade // 2 + 20))
    buffer = io.BytesIO()
    image.save(buffer, fmt, quality=70)
    return ContentFile(buffer.getvalue(), name=f"demo-{seed}.{fmt.lower().replace('jpeg', 'jpg')}")


def one_page_pdf(stream, extra_objects=(), trailer_extra=b""):
    """The bytes of a one-page PDF whose page draws ``stream``; objects 6+ and trailer
    entries may be added (the tests write an encrypted PDF with them)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        *extra_objects,
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R%s >>\n" % (len(objects) + 1, trailer_extra)
        + b"startxref\n%d\n%%%%EOF\n" % xref
    )
    return out.getvalue()


def demo_pdf(title="Demo document", name="demo.pdf"):
    """A small, valid one-page PDF showing ``title`` (ASCII), written without extra libraries."""
    text = title.encode("ascii", "replace").replace(b"(", b"[").replace(b")", b"]")
    return ContentFile(one_page_pdf(b"BT /F1 24 Tf 72 720 Td (" + text + b") Tj ET"), name=name)

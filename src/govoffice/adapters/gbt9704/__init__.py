"""GB/T 9704-2012 《党政机关公文格式》: the renderer of issued 公文 as PDF and DOCX (ADR 0045).

:class:`GBT9704Renderer` implements the application's
:class:`~govoffice.application.printing.DocumentRenderer` port. Its libraries (python-docx,
fpdf2 and the Noto CJK fonts) are the ``render`` extra: they are imported when a document is
first rendered, and a missing one is a :class:`RenderExtraMissing` naming the extra.
"""

from __future__ import annotations

from collections.abc import Sequence

from govoffice.adapters.gbt9704.layout import GBT9704, Layout
from govoffice.application.printing import FORMATS, PrintedDocument
from govoffice.domain.errors import GovOfficeError, InvalidInput

RENDERER_VERSION = "1"
"""Bumped whenever a change of the writers changes the bytes of a rendering."""

LIBRARIES = {
    "pdf": ("fpdf2", "fonttools", "pylopdf-fonts-zh-cn"),
    "docx": ("python-docx",),
}


class RenderExtraMissing(GovOfficeError):
    def __init__(self, module: str) -> None:
        super().__init__(
            f"生成公文文件需要安装 render 扩展: pip install 'govoffice[render]' "
            f"(missing {module}; the render extra is not installed)",
            module=module,
        )


class GBT9704Renderer:
    """Renders the 公文 as printed (DOCX and PDF) with the measures of ``layout``."""

    formats = FORMATS

    def __init__(self, layout: Layout = GBT9704) -> None:
        if not isinstance(layout, Layout):
            raise InvalidInput(f"版式表 {layout!r} 不是 Layout (layout table)")
        self.layout = layout

    def identity(self, fmt: str) -> str:
        from importlib import metadata  # only when printing: slow to import

        versions = []
        for name in LIBRARIES.get(fmt, ()):
            try:
                versions.append(f"{name} {metadata.version(name)}")
            except metadata.PackageNotFoundError:
                versions.append(f"{name} (missing)")
        return (
            f"govoffice-gbt9704/{RENDERER_VERSION} {fmt}; {', '.join(versions)}; "
            f"layout {self.layout.fingerprint()}"
        )

    def render(self, copies: Sequence[PrintedDocument], fmt: str) -> bytes:
        if not copies:
            raise InvalidInput("没有要生成的公文 (nothing to render)")
        if fmt == "pdf":
            try:
                from govoffice.adapters.gbt9704.pdf import PdfWriter
            except ImportError as e:
                raise RenderExtraMissing(e.name or "fpdf2") from None
            return PdfWriter(self.layout).write(copies)
        if fmt == "docx":
            try:
                from govoffice.adapters.gbt9704.docx_writer import DocxWriter
            except ImportError as e:
                raise RenderExtraMissing(e.name or "python-docx") from None
            return DocxWriter(self.layout).write(copies)
        raise InvalidInput(f"文件格式 {fmt!r} 不支持,可选: pdf、docx (format)", format=fmt)


__all__ = ["GBT9704", "GBT9704Renderer", "Layout", "RenderExtraMissing"]

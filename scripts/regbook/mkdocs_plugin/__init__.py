"""The MkDocs adapter: publishes the corpus as pages. No rules of its own."""

from regbook.mkdocs_plugin.plugin import RegbookPlugin

__all__ = ["RegbookPlugin"]

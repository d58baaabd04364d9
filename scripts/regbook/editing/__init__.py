"""Editors' commands: drafting new files and the routine edits, as planned file changes.

Editors are not programmers: the commands know what the rules ask for (folders, ids, the next
索引号, 有效期至, the edits that end or amend a document) and write it, so no routine task means
hand-editing YAML. Each module is a pure function from the corpus and the editor's facts to a
``Plan`` (``plan``: new files and edits of existing ones), or a ``Refusal`` saying in Chinese
what to give instead; ``plan.apply`` writes a plan, all files or none. The CLI (``regbook new``,
``cleanup new``, ``abolish``, ``amend``) only collects the facts and prints the plan.

- ``new``: a regulation of any 效力位阶, a disclosure item (公开) or a 年报, from a few facts;
- ``cleanup``: the draft of a cleanup record listing every office document in force;
- ``abolish``: end a document by a cleanup record (changing that record's decision, only while
  the record is unpublished) or by another document;
- ``amend``: a new version, with the whole version chain moved to it;
- ``ids``: ids, file names and the next 索引号; ``checks``: what the checker would reject;
  ``templates``: the bodies, marked for the editor to replace.

Files that exist are changed through the importer's round-trip writer: everything a command
does not set stays byte for byte.
"""

from regbook.editing.plan import FileEdit, Plan, Refusal, apply, describe

__all__ = ["FileEdit", "Plan", "Refusal", "apply", "describe"]

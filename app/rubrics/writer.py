"""Write a validated rubric back as a YAML rubric file.

Imports (spreadsheets, CASE) end here: the file they produce is read by the
ordinary loader, so :func:`rubric_yaml` is checked to give back the same
content hash (``tests/rubrics/test_spreadsheet.py``). Absent optional fields
are left out rather than written as ``null``.
"""

from __future__ import annotations

import yaml

from app.rubrics.schemas import Rubric
from app.rubrics.translations import RubricTranslation, unflatten


def rubric_yaml(rubric: Rubric) -> str:
    """The rubric as YAML in the documented key order (docs/rubric-format.md)."""
    data = rubric.model_dump(exclude_none=True)
    if not data["roles"]:
        del data["roles"]  # a rubric without roles reads as it did before roles existed
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def translation_yaml(translation: RubricTranslation) -> str:
    """A translation as its sibling file, ``<rubric-id>.<locale>.yaml`` (docs/rubric-format.md)."""
    data = {
        "rubric": translation.rubric_id,
        "locale": translation.locale,
        "source_version": translation.source_version,
        **unflatten(translation.texts),
    }
    labels = data.get("scale", {}).get("labels")
    if isinstance(labels, dict):  # scale values are numbers, as in the rubric
        data["scale"]["labels"] = {
            int(k) if k.lstrip("-").isdigit() else k: v for k, v in labels.items()
        }
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)

"""Rubrics as 1EdTech CASE 1.1 packages (CFPackage JSON), out and in (docs/case.md).

CASE describes competency frameworks and rubrics but has no questionnaire
items, no response scale and no per-level summaries. The export maps what
CASE has a place for onto its classes (competencies and behaviors as CFItems,
the grid of behaviors by levels as a CFRubric) and carries the rest in the
``extensions`` objects the schema leaves open, so a package exported here
imports back without loss. A package from another tool imports too; what it
lacks is filled with clearly reported placeholders, because a rubric without
items cannot be validated, let alone answered.

Identifiers are UUID v5 of a fixed namespace and ``<rubric id>:<kind>:<element
id>``: a re-export gives the same identifiers, and a new version of a rubric
keeps them (its ``lastChangeDateTime`` changes).
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft201909Validator
from jsonschema.exceptions import ValidationError as SchemaError

from app.rubrics.schemas import Behavior, Competency, Rubric

#: Fixed for ever: changing it changes every exported identifier.
NAMESPACE = uuid.UUID("6f1c1f0e-4b7a-5d2e-9c3a-2f5e7d9b1a40")
CASE_PATH = "/ims/case/v1p1"
SCHEMA_FILE = Path(__file__).with_name("case_schema") / "case-v1p1-cfpackage.json"
EXT = "stepwise"
"""The key of our data inside each CASE ``extensions`` object."""

ITEM_TYPES = {"competency": "Competency", "behavior": "Key behavior", "item": "Questionnaire item"}


def case_id(rubric_id: str, kind: str, element_id: str = "") -> str:
    """The stable identifier of one exported element."""
    return str(uuid.uuid5(NAMESPACE, f"{rubric_id}:{kind}:{element_id}"))


def document_id(rubric_id: str) -> str:
    """The CFDocument (and CFPackage) identifier of a rubric."""
    return case_id(rubric_id, "document")


@cache
def _validator() -> Draft201909Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return Draft201909Validator(schema, format_checker=Draft201909Validator.FORMAT_CHECKER)


def _where(error: SchemaError) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path).lstrip(
        "."
    )


def validate_package(package: Any) -> list[str]:
    """Schema problems of a CFPackage, each located by its JSON path; empty when valid.

    The message is the schema rule broken (its validator keyword), never the value.
    """
    errors = sorted(_validator().iter_errors(package), key=lambda e: list(map(str, e.path)))
    return [f"{_where(e) or '(package)'}: breaks the schema's '{e.validator}' rule" for e in errors]


# ----------------------------------------------------------------------------- export


#: The language a rubric's own texts are written in (the app's source language).
SOURCE_LANGUAGE = "en"


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def export_package(
    rubric: Rubric,
    *,
    base_url: str,
    changed: datetime,
    creator: str = "Stepwise",
    language: str = SOURCE_LANGUAGE,
) -> dict[str, Any]:
    """The rubric as a CASE 1.1 CFPackage (the JSON object the schema describes).

    A package is in one ``language`` (the CFDocument's and every CFItem's):
    a translated rubric is exported as a package of its own, with the same
    identifiers, since its items are the same items (docs/case.md).
    """
    base = base_url.rstrip("/")
    doc_id = document_id(rubric.id)
    stamp = _stamp(changed)

    def link(identifier: str, title: str) -> dict[str, str]:
        return {"title": title, "identifier": identifier, "uri": f"urn:uuid:{identifier}"}

    doc_link = {
        "title": rubric.title,
        "identifier": doc_id,
        "uri": f"{base}{CASE_PATH}/CFPackages/{doc_id}",
    }
    items: list[dict[str, Any]] = []
    associations: list[dict[str, Any]] = []

    def add_item(kind: str, element_id: str, statement: str, **extra: Any) -> dict[str, str]:
        identifier = case_id(rubric.id, kind, element_id)
        items.append(
            {
                "identifier": identifier,
                "uri": f"urn:uuid:{identifier}",
                "fullStatement": statement,
                "humanCodingScheme": element_id,
                "CFItemType": ITEM_TYPES[kind],
                "language": language,
                "lastChangeDateTime": stamp,
                **extra,
            }
        )
        return link(identifier, extra.get("abbreviatedStatement", element_id))

    def child_of(child: dict[str, str], parent: dict[str, str], sequence: int) -> None:
        identifier = case_id(
            rubric.id, "association", f"{child['identifier']}>{parent['identifier']}"
        )
        associations.append(
            {
                "identifier": identifier,
                "associationType": "isChildOf",
                "sequenceNumber": sequence,
                "uri": f"urn:uuid:{identifier}",
                "originNodeURI": child,
                "destinationNodeURI": parent,
                "lastChangeDateTime": stamp,
            }
        )

    criteria: list[dict[str, Any]] = []
    rubric_uuid = case_id(rubric.id, "rubric")
    for c_index, competency in enumerate(rubric.competencies, start=1):
        c_link = add_item(
            "competency",
            competency.id,
            competency.description,
            abbreviatedStatement=competency.name,
            notes=competency.purpose,
            extensions={EXT: _competency_extension(competency)},
        )
        child_of(c_link, doc_link, c_index)
        for b_index, behavior in enumerate(competency.behaviors, start=1):
            b_link = add_item(
                "behavior",
                behavior.id,
                behavior.description,
                abbreviatedStatement=behavior.name,
                extensions={EXT: _extra_fields(behavior, {"id", "name", "description", "levels"})},
            )
            child_of(b_link, c_link, b_index)
            sequence = 0
            for level in rubric.behavior_levels(behavior):
                for item in behavior.levels[level.id].items:
                    sequence += 1
                    i_link = add_item(
                        "item", item.id, item.text, extensions={EXT: {"level": level.id}}
                    )
                    child_of(i_link, b_link, sequence)
            criteria.append(
                _criterion(rubric, competency, behavior, b_link, rubric_uuid, len(criteria), stamp)
            )
    document = {
        "identifier": doc_id,
        "uri": doc_link["uri"],
        "creator": creator,
        "title": rubric.title,
        "lastChangeDateTime": stamp,
        "description": rubric.description,
        "version": rubric.version,
        "language": language,
        "caseVersion": "1.1",
        "extensions": {EXT: _document_extension(rubric)},
    }
    return {
        "CFDocument": document,
        "CFItems": items,
        "CFAssociations": associations,
        "CFRubrics": [
            {
                "identifier": rubric_uuid,
                "uri": f"urn:uuid:{rubric_uuid}",
                "title": rubric.title,
                "description": rubric.description,
                "lastChangeDateTime": stamp,
                "CFRubricCriteria": criteria,
            }
        ],
    }


def _extra_fields(model: Any, mapped: set[str]) -> dict[str, Any]:
    """Scalar fields CASE has no place for (new optional ones included), kept as they are."""
    return {
        name: value
        for name, value in model.model_dump(exclude_none=True).items()
        if name not in mapped and not isinstance(value, dict | list)
    }


def _document_extension(rubric: Rubric) -> dict[str, Any]:
    return {
        "rubricId": rubric.id,
        "scale": rubric.scale.model_dump(),
        "scoring": rubric.scoring.model_dump(),
        "levels": [level.model_dump(exclude_none=True) for level in rubric.levels],
        **_extra_fields(rubric, {"id", "title", "version", "description"}),
        # CASE has no role profiles: they travel whole in the extension (docs/case.md).
        **(
            {"roles": [role.model_dump(exclude_none=True) for role in rubric.roles]}
            if rubric.roles
            else {}
        ),
    }


def _competency_extension(competency: Competency) -> dict[str, Any]:
    return {
        "levels": {
            key: value.model_dump(exclude_none=True) for key, value in competency.levels.items()
        },
        **_extra_fields(competency, {"id", "name", "purpose", "description"}),
    }


def _criterion(
    rubric: Rubric,
    competency: Competency,
    behavior: Behavior,
    item_link: dict[str, str],
    rubric_uuid: str,
    position: int,
    stamp: str,
) -> dict[str, Any]:
    criterion_id = case_id(rubric.id, "criterion", behavior.id)
    levels = []
    for level in rubric.behavior_levels(behavior):
        cell = behavior.levels[level.id]
        level_id = case_id(rubric.id, "criterion-level", f"{behavior.id}/{level.id}")
        entry: dict[str, Any] = {
            "identifier": level_id,
            "uri": f"urn:uuid:{level_id}",
            "description": cell.descriptor,
            "quality": level.name,
            "score": level.order,
            "position": level.order,
            "rubricCriterionId": criterion_id,
            "lastChangeDateTime": stamp,
        }
        if cell.actions:
            entry["feedback"] = "\n".join(cell.actions)
        extra = _extra_fields(cell, {"descriptor"})
        entry["extensions"] = [{EXT: {"level": level.id, "actions": cell.actions, **extra}}]
        levels.append(entry)
    return {
        "identifier": criterion_id,
        "uri": f"urn:uuid:{criterion_id}",
        "category": competency.name,
        "description": behavior.name,
        "CFItemURI": item_link,
        "position": position + 1,
        "rubricId": rubric_uuid,
        "lastChangeDateTime": stamp,
        "CFRubricCriterionLevels": levels,
    }

"""Read a CASE 1.1 package (ours or another tool's) into a rubric document (docs/case.md).

A package exported by :mod:`app.rubrics.case` carries everything CASE has no
place for in its ``extensions`` and comes back unchanged. A package from
another tool has no items, scale or level summaries: the import fills them with
placeholders and lists each in its report, since a rubric without items cannot
be validated. The result is a plain document for the ordinary loader to check.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from app.rubrics.case import EXT, validate_package

#: An uploaded package, before it is parsed.
MAX_CASE_BYTES = 10 * 1024 * 1024


@dataclass
class CaseImport:
    """A rubric document read from a package, and what had to be made up for it."""

    document: dict[str, Any]
    report: list[str] = field(default_factory=list)


class CasePackageError(Exception):
    """A package that cannot be read; ``problems`` are located by JSON path."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = problems
        super().__init__(self.render())

    def render(self) -> str:
        return "\n".join(f"{self.source}: {problem}" for problem in self.problems)


def _slug(text: str, taken: set[str], fallback: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:56] or fallback
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    taken.add(slug)
    return slug


def read_package(data: bytes, *, source: str) -> Any:
    """Parse and schema-validate an uploaded package (size-limited JSON)."""
    if len(data) > MAX_CASE_BYTES:
        raise CasePackageError(source, [f"larger than {MAX_CASE_BYTES} bytes"])
    try:
        package = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        where = (
            f"line {exc.lineno}, column {exc.colno}"
            if isinstance(exc, json.JSONDecodeError)
            else ""
        )
        raise CasePackageError(source, [f"{where}: not valid JSON".lstrip(": ")]) from None
    if isinstance(package, dict) and set(package) == {"CFPackage"}:
        package = package["CFPackage"]  # some providers wrap the package
    problems = validate_package(package)
    if problems:
        raise CasePackageError(source, problems)
    return package


def import_package(package: dict[str, Any]) -> CaseImport:
    """Turn a schema-valid CFPackage into a rubric document (validate it with the loader)."""
    doc = package["CFDocument"]
    ext = (doc.get("extensions") or {}).get(EXT) or {}
    result = CaseImport({})
    report = result.report
    out = result.document
    out["id"] = ext.get("rubricId") or _slug(doc["title"], set(), "rubric")
    if "rubricId" not in ext:
        report.append("id: CASE has no short rubric id; made from the document title")
    out["title"] = doc["title"]
    out["version"] = doc.get("version") or "1"
    if not doc.get("version"):
        report.append("version: the document has none; set to 1")
    out["description"] = doc.get("description") or doc["title"]
    if not doc.get("description"):
        report.append("description: the document has none; copied from the title")
    for key in ("scale", "scoring"):
        if key in ext:
            out[key] = ext[key]
        else:
            report.append(f"{key}: CASE has no {key}; Stepwise's default is used")
    extra = {k: v for k, v in ext.items() if k not in {"rubricId", "scale", "scoring", "levels"}}
    out.update(extra)

    items = {item["identifier"]: item for item in package.get("CFItems", [])}
    children: dict[str, list[tuple[int, str]]] = {}
    for assoc in package.get("CFAssociations", []):
        if assoc["associationType"] == "isChildOf":
            parent = assoc["destinationNodeURI"]["identifier"]
            children.setdefault(parent, []).append(
                (assoc.get("sequenceNumber", 0), assoc["originNodeURI"]["identifier"])
            )
    parent_of = {child: parent for parent, kids in children.items() for _, child in kids}
    criteria = [c for r in package.get("CFRubrics", []) for c in r.get("CFRubricCriteria", [])]
    criteria.sort(key=lambda c: c.get("position", 0))
    if not criteria:
        raise CasePackageError("package", ["CFRubrics: no rubric criteria, so no behaviors"])

    levels = _levels(ext, criteria, report)
    level_by_name = {level["name"]: level["id"] for level in levels}
    out["levels"] = levels
    competencies: dict[str, dict[str, Any]] = {}
    taken: set[str] = set()
    missing_items = missing_actions = 0
    for criterion in criteria:
        item_ref = (criterion.get("CFItemURI") or {}).get("identifier")
        b_item = items.get(item_ref or "")
        c_key = parent_of.get(item_ref or "") or criterion.get("category") or "general"
        competency = competencies.get(c_key)
        if competency is None:
            competency = _competency(items.get(c_key), c_key, taken, report)
            competencies[c_key] = competency
        behavior = _behavior(b_item, criterion, taken)
        for level_entry in criterion.get("CFRubricCriterionLevels", []):
            lext: dict[str, Any] = next(
                (e[EXT] for e in level_entry.get("extensions", []) if EXT in e), {}
            )
            level_id = lext.get("level") or level_by_name.get(level_entry.get("quality", ""))
            if level_id is None:
                continue
            cell: dict[str, Any] = {
                "descriptor": level_entry.get("description") or level_entry.get("quality"),
                **{k: v for k, v in lext.items() if k not in {"level", "actions"}},
            }
            actions = lext.get("actions")
            if actions is None:
                actions = [a for a in (level_entry.get("feedback") or "").splitlines() if a.strip()]
            cell["actions"] = actions
            missing_actions += not actions
            cell_items = [
                {"id": items[i]["humanCodingScheme"], "text": items[i]["fullStatement"]}
                for _, i in sorted(children.get(item_ref or "", []))
                if i in items
                and ((items[i].get("extensions") or {}).get(EXT) or {}).get("level") == level_id
            ]
            if not cell_items:
                missing_items += 1
                cell_items = [
                    {
                        "id": _slug(f"{behavior['id']}-{level_id}", taken, "item"),
                        "text": cell["descriptor"],
                    }
                ]
            cell["items"] = cell_items
            behavior["levels"][level_id] = cell
        competency["behaviors"].append(behavior)
    out["competencies"] = list(competencies.values())
    if missing_items:
        report.append(
            f"items: CASE has no questionnaire items; {missing_items} behavior level(s) got one "
            "placeholder item with the descriptor's text: rewrite them as first-person statements"
        )
    if missing_actions:
        report.append(f"actions: {missing_actions} behavior level(s) have no coaching actions")
    return result


def _levels(
    ext: dict[str, Any], criteria: list[dict[str, Any]], report: list[str]
) -> list[dict[str, Any]]:
    if "levels" in ext:
        return list(ext["levels"])
    seen: dict[str, float] = {}
    for criterion in criteria:
        for level in criterion.get("CFRubricCriterionLevels", []):
            quality = level.get("quality")
            if quality:
                rank = level.get("position", level.get("score", 0))
                seen[quality] = min(seen.get(quality, rank), rank)
    taken: set[str] = set()
    ordered = sorted(seen, key=lambda q: seen[q])
    report.append(
        "levels: CASE has no level ladder; made from the criterion levels' quality names, "
        "with the name as summary"
    )
    return [
        {"id": _slug(q, taken, "level"), "name": q, "order": i, "summary": q}
        for i, q in enumerate(ordered, start=1)
    ]


def _competency(
    item: dict[str, Any] | None, key: str, taken: set[str], report: list[str]
) -> dict[str, Any]:
    if item is None:
        report.append("competencies: a criterion has no parent CFItem; grouped by its category")
        return {
            "id": _slug(key, taken, "competency"),
            "name": key,
            "purpose": key,
            "description": key,
            "levels": {},
            "behaviors": [],
        }
    ext = (item.get("extensions") or {}).get(EXT) or {}
    name = item.get("abbreviatedStatement") or item["fullStatement"]
    taken.add(item.get("humanCodingScheme", ""))
    return {
        "id": item.get("humanCodingScheme") or _slug(name, taken, "competency"),
        "name": name,
        "purpose": item.get("notes") or item["fullStatement"],
        "description": item["fullStatement"],
        "levels": ext.get("levels", {}),
        **{k: v for k, v in ext.items() if k != "levels"},
        "behaviors": [],
    }


def _behavior(
    item: dict[str, Any] | None, criterion: dict[str, Any], taken: set[str]
) -> dict[str, Any]:
    if item is None:
        text = criterion.get("description") or criterion.get("category") or "behavior"
        return {
            "id": _slug(text, taken, "behavior"),
            "name": text,
            "description": text,
            "levels": {},
        }
    ext = (item.get("extensions") or {}).get(EXT) or {}
    name = item.get("abbreviatedStatement") or item["fullStatement"]
    taken.add(item.get("humanCodingScheme", ""))
    return {
        "id": item.get("humanCodingScheme") or _slug(name, taken, "behavior"),
        "name": name,
        "description": item["fullStatement"],
        **ext,
        "levels": {},
    }

"""The review workspace's behavior index, over HTTP without JavaScript: every behavior,
in rubric order, linked to its card, with its calibration flag (computed, kept current)."""

from __future__ import annotations

import re

from app.rubrics.schemas import Rubric
from tests.coaching.conftest import CoachingPair


def _index(html: str) -> str:
    found = re.search(r'<nav class="panel review-index".*?</nav>', html, re.S)
    assert found, "no behavior index"
    return found.group(0)


def _entries(index: str) -> list[tuple[str, str]]:
    """(behavior id, flag text) per index entry, in page order."""
    link = r'<li><a href="#behavior-([^"]+)">[^<]*</a>\s*'
    flag = r'<span class="cal-flag [^"]*"[^>]*>([^<]*)</span>'
    return re.findall(link + flag, index)


def test_the_index_links_every_behavior_in_rubric_order_with_its_flag(
    pair: CoachingPair, mini: Rubric
) -> None:
    api = pair.coach_api()
    review = api.start(pair.submit())
    rid = review["id"]
    browser = pair.coach_browser()
    page = browser.get(f"/coaching/reviews/{rid}").text
    index = _index(page)
    behaviors = [b.id for c in mini.competencies for b in c.behaviors]
    assert _entries(index) == [(bid, "Not rated yet") for bid in behaviors]
    for competency in mini.competencies:
        assert f'href="#competency-{competency.id}"' in index
        assert f'id="competency-{competency.id}"' in page
    for bid in behaviors:
        assert f'id="behavior-{bid}"' in page  # every link has its target
    assert 'href="#plan"' in index and 'href="#notes"' in index
    assert 'href="#review-index"' in page  # the toolbar's way back

    # planning is self-assessed at 2: a coach rating of 1 makes it a blind spot.
    api.save(rid, review["version"], ratings={"planning": {"coach_level": 1}}).raise_for_status()
    flags = dict(_entries(_index(browser.get(f"/coaching/reviews/{rid}").text)))
    assert flags["planning"] == "Blind spot"
    assert flags["review"] == "Not rated yet"

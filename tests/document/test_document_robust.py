"""Whatever is thrown at the loader, it answers with InvalidInput (never a crash) or a Document."""

from __future__ import annotations

import copy

import pytest
from doc_samples import SMALL

from scoring.document import Document, dump_document, load_document
from scoring.errors import InvalidInput

JUNK = [None, 0, -1, "x", "", [], {}, True, 1.5, "1e999", "NaN", [1, 2], {"a": 1}]


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, prefix + (i,))


def _replace(raw, path, junk):
    if not path:
        return junk
    target = raw
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = junk
    return raw


PATHS = list(_paths(SMALL))


@pytest.mark.parametrize("path", PATHS, ids=[".".join(map(str, p)) or "<root>" for p in PATHS])
def test_any_node_replaced_by_junk(path):
    for junk in JUNK:
        raw = _replace(copy.deepcopy(SMALL), path, copy.deepcopy(junk))
        try:
            doc = load_document(raw)
        except InvalidInput as exc:
            assert exc.problems and all(p.msgid for p in exc.problems)
            continue
        assert isinstance(doc, Document)
        assert load_document(dump_document(doc)) == doc

"""Helpers shared by the browser tests of several areas (tests/ is on the import path through the
root conftest.py)."""

from __future__ import annotations


def fill_sheet(page) -> int:
    """Fill every aspect of the tablet's open form with a valid entry; returns how many were filled."""
    fields = page.locator(".jdg-field")
    n = fields.count()
    for i in range(n):
        f = fields.nth(i)
        kind = f.get_attribute("data-type")
        if kind == "judgement":
            f.locator("[data-set='2']").click()
        elif kind == "deduction":
            f.locator("[data-set='0']").click()
        elif kind == "time":
            f.locator("[data-mm]").fill("65")
            f.locator("[data-ss]").fill("30")
        else:
            f.locator("[data-num]").fill("4")
    return n

"""The attachment's leaf categories with the item count the document declares for each (一 11 项,
二 13 项, 三（一）38 项 …), in the document's order, written down from the source text."""

LEAF_COUNTS = {"1": 11, "2": 13, "3-1": 38, "3-2": 8, "3-3": 11, "3-4": 10, "3-5": 10, "3-6": 7, "3-7": 5}

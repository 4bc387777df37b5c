"""The lengths the article body's short fields hold (news/blocks.py), which the text and Word
importers check against: a longer value is reported, never shortened without a word."""

LABEL_LIMIT = 20  # 议程一
HEADING_LIMIT = 120  # an agenda section's title, a sub-section's heading
CELL_LIMIT = 500  # a table cell

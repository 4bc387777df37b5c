"""The bar chart of one 征集 question's results, as figures an SVG template draws
(templates/interaction/includes/survey_results.html).

Drawn by hand rather than with a charting library: leather, the one the research names, is not
among the project's packages, and what a chart needs here is small and must be exact — role="img"
with a <title> and <desc> giving every figure in words, real <text> for the labels (readable when
zoomed, never a picture of text), and colours from classes in site.css, since the public policy
allows no style attribute. The same figures are in a table beside it for screen readers and for
anyone who reads a table better than a chart.
"""

WIDTH = 280
ROW = 50
LABEL_BASELINE = 16
BAR_TOP = 24
BAR_HEIGHT = 18
FIGURE_ROOM = 86
LABEL_CHARACTERS = 18


def shortened(text, length=LABEL_CHARACTERS):
    return text if len(text) <= length else text[: length - 1] + "…"


def chart(result):
    """Rows of (label, count, percent, y of the label, y of the bar, bar width, x of the
    figure) and the drawing's height, for one question's QuestionResult."""
    longest = WIDTH - FIGURE_ROOM
    top = result.top
    rows = []
    for number, (option, count, percent) in enumerate(result.rows):
        y = number * ROW
        width = round(longest * count / top) if top else 0
        rows.append(
            {
                "label": shortened(option),
                "count": count,
                "percent": percent,
                "label_y": y + LABEL_BASELINE,
                "bar_y": y + BAR_TOP,
                "bar_width": max(width, 2),
                "figure_x": max(width, 2) + 6,
                "figure_y": y + BAR_TOP + BAR_HEIGHT - 4,
            }
        )
    return {"width": WIDTH, "height": len(rows) * ROW, "bar_height": BAR_HEIGHT, "rows": rows}


def description(result):
    """Every figure in words, for the chart's <desc>."""
    parts = [f"{option}：{count}人，占{percent}%" for option, count, percent in result.rows]
    return f"共{result.answered}人回答。" + "；".join(parts) + "。"

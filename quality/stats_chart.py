"""发稿统计's bar chart of articles per month, as figures that an SVG template draws on the server
(in templates/quality/admin/publishing_stats.html): one column per month, its number written above
it, the month (and the year at January and at the first month) below.

Drawn by hand, as interaction/survey_chart.py draws its own: the chart is a row of rectangles,
and what must be right is the text — role="img" with a <title>, a <desc> giving every figure in
words, real <text> for labels (CJK, readable when zoomed) — which a library would have to be
made to write afterwards. No script and no style attribute: colours are classes of
static/css/admin/publishing-stats.css. The same figures are in a table beside it.
"""

SLOT = 56
BAR = 32
PLOT_HEIGHT = 160
TOP = 24
FIGURE_GAP = 6
MONTH_LINE = 18
YEAR_LINE = 36
BOTTOM = 44
LEFT = 8


def chart(rows):
    """The drawing of Rows (quality/publishing_stats.py) labelled "YYYY年M月", one per month."""
    top = max((row.articles for row in rows), default=0)
    baseline = TOP + PLOT_HEIGHT
    bars = []
    previous_year = None
    for number, row in enumerate(rows):
        year, month = row.label.split("年")
        height = round(PLOT_HEIGHT * row.articles / top) if top else 0
        x = LEFT + number * SLOT
        middle = x + SLOT / 2
        bars.append(
            {
                "label": row.label,
                "articles": row.articles,
                "x": x + (SLOT - BAR) / 2,
                "y": baseline - height,
                "height": height,
                "middle": middle,
                "figure_y": baseline - height - FIGURE_GAP,
                "month": month,
                "month_y": baseline + MONTH_LINE,
                "year": f"{year}年" if year != previous_year else "",
                "year_y": baseline + YEAR_LINE,
            }
        )
        previous_year = year
    return {
        "width": LEFT * 2 + SLOT * max(len(rows), 1),
        "height": baseline + BOTTOM,
        "baseline": baseline,
        "bar_width": BAR,
        "bars": bars,
    }


def description(figures):
    """Every figure in words, for the chart's <desc>."""
    months = "；".join(f"{row.label}{row.articles}篇" for row in figures.months)
    return f"{figures.period}首次发布的文章共{figures.articles}篇，按月：{months}。"

"""Charts drawn on the server as SVG: no script and nothing from elsewhere, in the admin's
language and direction. In a right-to-left admin time runs from right to left, as a Persian or
Arabic newspaper draws it. The admin writes the numbers in its own digits
(``nejat.editions.admin_digits``) and the dates in its calendar (``formats.date_format``).

Each chart carries its title for screen readers; the numbers are also in a table beside it.
"""

from django.utils import formats
from django.utils.html import format_html, format_html_join

# Colours told apart by readers who do not tell red from green (Okabe and Ito's palette).
COLOURS = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00")


def ceiling(value):
    """A round number at or above ``value`` for the top of the scale: 1, 2 or 5 times 10ⁿ."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def line_chart(days, series, *, title, rtl, width=640, height=220):
    """``series``: ``[(name, [a value per day])]``; one line each, over ``days``."""
    start, end, top, bottom = 44, 12, 12, 28  # room for the scale and the dates
    highest = ceiling(max((max(values, default=0) for _, values in series), default=0) or 1)
    plot_width, plot_height = width - start - end, height - top - bottom

    def x(index):
        offset = start + plot_width * index / max(len(days) - 1, 1)
        return round(width - offset if rtl else offset, 1)

    def y(value):
        return round(top + plot_height * (1 - value / highest), 1)

    anchor = "start" if rtl else "end"
    scale_x = width - start + 6 if rtl else start - 6
    grid = format_html_join(
        "",
        '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#ddd"/>'
        '<text x="{}" y="{}" text-anchor="{}" font-size="11">{}</text>',
        ((x(0), x(len(days) - 1), y(value), y(value), scale_x, y(value) + 4, anchor, value)
         for value in (0, highest // 2, highest)),
    )  # fmt: skip
    marks = {0, len(days) // 2, len(days) - 1} if days else set()
    dates = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="middle" font-size="11">{}</text>',
        ((x(index), height - 8, formats.date_format(days[index], "MONTH_DAY_FORMAT"))
         for index in sorted(marks)),
    )  # fmt: skip
    lines = format_html_join(
        "",
        '<polyline fill="none" stroke="{}" stroke-width="2" points="{}"><title>{}</title>'
        "</polyline>",
        ((COLOURS[n % len(COLOURS)],
          " ".join(f"{x(index)},{y(value)}" for index, value in enumerate(values)), name)
         for n, (name, values) in enumerate(series)),
    )  # fmt: skip
    return format_html(
        '<svg class="chart" role="img" viewBox="0 0 {} {}" width="100%" '
        'preserveAspectRatio="xMidYMid meet"><title>{}</title>{}{}{}</svg>',
        width, height, title, grid, dates, lines,
    )  # fmt: skip


def legend(series):
    """The names of a line chart's series beside their colours."""
    return format_html(
        '<ul class="chart-legend">{}</ul>',
        format_html_join(
            "",
            '<li><svg width="14" height="4" aria-hidden="true"><rect width="14" height="4" '
            'fill="{}"/></svg> {}</li>',
            ((COLOURS[n % len(COLOURS)], name) for n, (name, _values) in enumerate(series)),
        ),
    )


def sparkline(values, *, title, rtl, width=120, height=24):
    """A small line of ``values`` (a day each, the oldest first), without scale or dates: the
    words beside it say what it shows."""
    highest = max(values, default=0) or 1
    step = width / max(len(values) - 1, 1)
    points = " ".join(
        f"{round(width - index * step if rtl else index * step, 1)},"
        f"{round(2 + (height - 4) * (1 - value / highest), 1)}"
        for index, value in enumerate(values)
    )
    return format_html(
        '<svg class="sparkline" aria-hidden="true" width="{}" height="{}" viewBox="0 0 {} {}">'
        '<title>{}</title><polyline fill="none" stroke="{}" stroke-width="1.5" points="{}"/>'
        "</svg>",
        width, height, width, height, title, COLOURS[0], points,
    )  # fmt: skip


def bar(value, highest):
    """A bar as long as ``value`` is of ``highest``, from the start of the line."""
    share = round(100 * value / highest, 1) if highest else 0
    return format_html('<span class="chart-bar" style="inline-size: {}%"></span>', share)

"""Text that every output format can carry, whatever an editor typed."""

import re

# Characters XML 1.0 and iCalendar TEXT cannot carry, the C1 controls (which feed
# validators flag and no reader shows), and lone surrogates, which no encoder
# accepts. Tab and line breaks stay.
UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def printable(text):
    """`text` without characters that would make a feed or a calendar invalid."""
    return UNPRINTABLE.sub("", text or "")


def plain_lines(text):
    """`printable` text with every kind of line break as a plain newline."""
    return printable(text).replace("\r\n", "\n").replace("\r", "\n")

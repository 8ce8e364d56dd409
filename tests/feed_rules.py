"""Feed rules: what the W3C Feed Validation Service checks of RSS 2.0 and Atom 1.0,
written anew for our tests, and JSON Feed 1.1 by its spec.

The service (github.com/w3c/feedvalidator) is installable neither from PyPI nor from
Debian, so its rules — read from its source (`src/feedvalidator/`: feed.py, entry.py,
link.py, channel.py, item.py, validators.py, base.py, logging.py) — are checked here
by code of our own. Each message starts with the name of the validator's message
class (`logging.py`), so a failure reads like the service's report; JSON Feed
messages start with names of our own (`JSONFeed…`). `SEVERITY` says which of them
the service counts as errors and which as warnings; `problems()` reports both — the
warnings kept are those that would mean a real fault in our feeds.

Left out on purpose: `DuplicateUpdated` (two entries with the same atom:updated: the
service's own documentation says the check "is not something that can be
automated", and rows changed in one transaction share it legitimately);
`MissingDCLanguage` and `NonstdPrefix` (notes, not warnings); `UnknownHost` (a DNS
lookup); `SchemeNotIANARegistered`; the ISO 639 table (a language tag is checked by
its BCP 47 shape); html5lib's strict parse of HTML content (`NotHtml` for a parse
error — an unknown tag is still reported); the CSS keyword lists behind
`DangerousStyleAttr` (a style attribute is checked for what can load or run
something instead); iTunes, Media RSS, KML, OPML, RSS 1.0 and the many namespaces
we never write (known ones are listed in `KNOWN_NAMESPACES`, their elements checked
for the namespaces we write, `VOCABULARIES`).

A few checks go beyond the service, each marked "beyond the service" below: the
RFC 5005 history rules in RSS too (the service checks them in Atom only),
`javascript:` links in HTML, and foreign elements after the first entry or item.
"""

import datetime as dt
import html.entities
import json
import re
from html.parser import HTMLParser
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

import lxml.etree

ATOM = "http://www.w3.org/2005/Atom"
HISTORY = "http://purl.org/syndication/history/1.0"  # RFC 5005, prefix fh
XML_NS = "http://www.w3.org/XML/1998/namespace"
XHTML = "http://www.w3.org/1999/xhtml"
THREAD = "http://purl.org/syndication/thread/1.0"

# Namespaces the service knows, by the prefix it expects (a subset of its list in
# base.py: those a news feed plausibly carries). Another one is an UnknownNamespace.
KNOWN_NAMESPACES = {
    ATOM: "atom",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://purl.org/dc/terms/": "dcterms",
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://www.georss.org/georss": "georss",
    "http://www.opengis.net/gml": "gml",
    "http://www.w3.org/2003/01/geo/wgs84_pos#": "geo",
    HISTORY: "fh",
    THREAD: "thr",
    "http://purl.org/rss/1.0/modules/slash/": "slash",
    "http://purl.org/rss/1.0/modules/syndication/": "sy",
    "http://wellformedweb.org/CommentAPI/": "wfw",
    "http://search.yahoo.com/mrss/": "media",
    "http://www.itunes.com/dtds/podcast-1.0.dtd": "itunes",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf",
    "http://www.w3.org/2007/app": "app",
    "http://a9.com/-/spec/opensearch/1.1/": "opensearch",
    XHTML: "xhtml",
    XML_NS: "xml",
}
RESERVED_PREFIXES = {prefix: uri for uri, prefix in KNOWN_NAMESPACES.items()}

# Element vocabularies of the namespaces we write, where the service knows each
# element; another element of them is an UndefinedElement.
VOCABULARIES = {
    "http://purl.org/dc/elements/1.1/": {
        "contributor", "coverage", "creator", "date", "description", "format",
        "identifier", "language", "publisher", "relation", "rights", "source",
        "subject", "title", "type",
    },
    "http://purl.org/rss/1.0/modules/content/": {"encoded"},
    "http://www.georss.org/georss": {
        "point", "line", "polygon", "box", "where", "elev", "floor", "radius",
        "featureTypeTag", "relationshipTag", "featureName",
    },
    HISTORY: {"archive", "complete"},
}  # fmt: skip

# Link relations the service accepts without a warning (link.py: the IANA registry
# as it knew it); any absolute IRI is accepted too.
REGISTERED_RELATIONS = {
    "alternate", "current", "describedby", "edit", "edit-media", "enclosure", "first",
    "hub", "last", "license", "next", "next-archive", "payment", "prev-archive",
    "previous", "related", "replies", "search", "self", "service", "up", "via",
}  # fmt: skip
HISTORY_RELATIONS = {
    "current",
    "first",
    "last",
    "next",
    "next-archive",
    "prev-archive",
    "previous",
}
SELF_TYPES = {"application/atom+xml", "application/rss+xml", "application/rdf+xml"}

SEVERITY = {
    # errors
    **dict.fromkeys([
        "SAXError", "UnicodeError", "UnknownEncoding", "BadXmlVersion", "InvalidNamespace",
        "MissingNamespace", "UndefinedElement", "MissingElement", "MissingAttribute",
        "UnexpectedAttribute", "DuplicateElement", "UnexpectedText", "UnexpectedWhitespace",
        "InvalidRSSVersion", "MissingTitle", "MissingLink", "MissingDescription",
        "ItemMustContainTitleOrDescription", "InvalidFullLink", "InvalidIRI",
        "InvalidURN", "InvalidUUID", "InvalidTAG", "InvalidRFC2822Date", "IncorrectDOW",
        "InvalidRFC3339Date", "InvalidW3CDTFDate", "InvalidLanguage", "InvalidHttpGUID",
        "InvalidPermalink", "InvalidBooleanAttribute", "DuplicateValue", "InvalidContact",
        "InvalidAddrSpec", "InvalidPositiveInteger", "InvalidNonNegativeInteger",
        "InvalidIntegerAttribute", "InvalidMIMEType", "InvalidMIMEAttribute",
        "InvalidURLAttribute", "InvalidURIAttribute", "InvalidTextType", "MissingXhtmlDiv",
        "NotBase64", "MissingHref", "DuplicateAtomLink", "MisplacedMetadata", "MissingSummary",
        "MissingContentOrAlternate", "FeedRelInCompleteFeed", "CurrentNotSelfInCompleteFeed",
        "LinkPastEnd", "InvalidCoord", "InvalidWidth", "InvalidHeight",
        "JSONFeedNotJSON", "JSONFeedVersion", "JSONFeedMissing", "JSONFeedType",
        "JSONFeedUnknownKey", "JSONFeedExtensionName", "JSONFeedURL", "JSONFeedDate",
        "JSONFeedDuplicateId", "JSONFeedNextURL", "JSONFeedEmptyAuthor", "JSONFeedLanguage",
    ], "error"),
    # warnings
    **dict.fromkeys([
        "BadCharacters", "UnknownNamespace", "ReservedPrefix", "AvoidNamespacePrefix",
        "UndeterminableVocabulary", "UseOfExtensionAttr", "NotBlank", "AttrNotBlank",
        "ContainsHTML", "ContainsUndeclaredHTML", "CharacterData", "ContainsEmail",
        "ContainsRelRef", "SecurityRisk", "SecurityRiskAttr", "DangerousStyleAttr", "NotHtml",
        "ImplausibleDate", "ProblematicalRFC822Date", "MissingSelf", "MissingAtomSelfLink",
        "RelativeSelf", "SelfDoesntMatchLocation", "SelfNotAtom", "UnregisteredAtomLinkRel",
        "AtomLinkNotEmpty", "FeedHistoryRelInEntry", "ArchiveIncomplete",
        "MissingCurrentInArchive", "MissingGuid", "NotSufficientlyUnique", "DuplicateEntries",
        "MissingTextualContent", "MissingTypeAttr", "NonCanonicalURI", "ImageUrlFormat",
        "ImageLinkDoesntMatch", "ImageTitleDoesntMatch", "MisplacedItem",
        "NeedDescriptionBeforeContent", "DuplicateSemantics", "DuplicateItemSemantics",
        "DuplicateDescriptionSemantics", "DuplicateEnclosure", "EmailFormat",
        "MissingRealName", "AvoidTextInput", "UnexpectedContentType", "EncodingMismatch",
        "JSONFeedDeprecated", "JSONFeedRecommended",
    ], "warning"),
}  # fmt: skip

# HTML: the elements there are (an unknown one is NotHtml), and those that can load
# or run something or change the reader's page (SecurityRisk).
HTML_ELEMENTS = {
    "a", "abbr", "acronym", "address", "applet", "area", "article", "aside", "audio", "b",
    "base", "basefont", "bdi", "bdo", "big", "blockquote", "body", "br", "button", "canvas",
    "caption", "center", "cite", "code", "col", "colgroup", "data", "datalist", "dd", "del",
    "details", "dfn", "dialog", "dir", "div", "dl", "dt", "em", "embed", "fieldset",
    "figcaption", "figure", "font", "footer", "form", "frame", "frameset", "h1", "h2", "h3",
    "h4", "h5", "h6", "head", "header", "hgroup", "hr", "html", "i", "iframe", "img", "input",
    "ins", "kbd", "label", "legend", "li", "link", "main", "map", "mark", "menu", "meta",
    "meter", "nav", "noframes", "noscript", "object", "ol", "optgroup", "option", "output",
    "p", "param", "picture", "pre", "progress", "q", "rp", "rt", "ruby", "s", "samp",
    "script", "search", "section", "select", "slot", "small", "source", "span", "strike",
    "strong", "style", "sub", "summary", "sup", "table", "tbody", "td", "template",
    "textarea", "tfoot", "th", "thead", "time", "title", "tr", "track", "tt", "u", "ul",
    "var", "video", "wbr", "xmp", "plaintext", "listing",
}  # fmt: skip
UNSAFE_ELEMENTS = {
    "applet", "base", "basefont", "body", "embed", "frame", "frameset", "head", "html",
    "iframe", "link", "meta", "noframes", "object", "param", "plaintext", "script", "slot",
    "style", "title", "xmp", "listing",
}  # fmt: skip
UNSAFE_STYLE = re.compile(r"url\s*\(|expression|javascript:|behavior|@import|-moz-binding", re.I)
UNSAFE_SCHEME = re.compile(r"^\s*(javascript|vbscript|data)\s*:", re.I)

SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
# What a URI may hold besides non-ASCII (an IRI) and %-escapes: RFC 3986's
# characters, with [ ] only around an IPv6 host.
URI_CHARS = re.compile(r"^(?:[A-Za-z0-9\-._~:/?#@!$&'()*+,;=\[\]]|%[0-9A-Fa-f]{2}|[^\x00-\x7f])*$")
UUID_URN = re.compile(
    r"^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I
)
URN = re.compile(r"^urn:[A-Za-z0-9][A-Za-z0-9\-]{1,31}:(?:[A-Za-z0-9()+,\-.:=@;$_!*'/?#]|%[0-9A-Fa-f]{2})+$", re.I)  # fmt: skip
TAG_URI = re.compile(r"^tag:(?:[A-Za-z0-9\-._]+@)?[a-z0-9.\-]+,\d{4}(?:-\d{2}(?:-\d{2})?)?:\S*$")
MIME = re.compile(r'^[^\s()<>,;:\\"/\[\]?=]+/[^\s()<>,;:\\"/\[\]?=]+(\s*;\s*[^\s()<>,;:\\"/\[\]?=]+=("[^"]*"|[^\s()<>,;:\\"/\[\]?=]+))*$')  # fmt: skip
LANGUAGE = re.compile(r"^(?:[A-Za-z]{2,3}|[A-Za-z]{5,8}|[xXiI])(?:-[A-Za-z0-9]{1,8})*$")
RFC3339 = re.compile(r"^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)$")
W3CDTF = re.compile(r"^\d{4}(-\d\d(-\d\d(T\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d))?)?)?$")
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
ZONES = {"ut": 0, "gmt": 0, "z": 0, "est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7,
         "mdt": -6, "pst": -8, "pdt": -7}  # fmt: skip
# RFC 5322 §3.3 as the service reads RFC 822 (RSS 2.0 dates): four-digit years,
# English names as written, a numeric or named zone.
RFC2822 = re.compile(
    r"^(?:(Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?(\d\d?) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|"
    r"Nov|Dec) (\d{4}) (\d\d):(\d\d)(?::(\d\d))? ([+-]\d{4}|UT|GMT|EST|EDT|CST|CDT|MST|MDT|"
    r"PST|PDT|Z)$"
)
# What RFC 822 itself allowed besides: two-digit years, any case, military zones.
RFC822 = re.compile(
    r"^(?:(mon|tue|wed|thu|fri|sat|sun)\s*,\s*)?(\d\d?)\s+(jan|feb|mar|apr|may|jun|jul|aug|"
    r"sep|oct|nov|dec)\s+(\d\d(?:\d\d)?)\s+(\d\d):(\d\d)(?::(\d\d))?\s+([+-]\d{4}|ut|gmt|"
    r"est|edt|cst|cdt|mst|mdt|pst|pdt|[a-ik-z])$",
    re.I,
)
HTML_END_TAG = re.compile(r"</(\w+)>")
HTML_ENTITY = re.compile(r"&(#?\w+)")
EMAIL = re.compile(
    r"^[A-Za-z0-9_\-+.'!#$%&*/=?^`{|}~]+@(?:[A-Za-z0-9\-]+\.)+[A-Za-z0-9][A-Za-z0-9\-]*$"
)
IMAGE_EXTENSIONS = {"jpg", "jpeg", "gif", "png"}


class Report:
    """The problems found, in document order."""

    def __init__(self):
        self.found = []

    def __call__(self, name, detail, node=None):
        assert name in SEVERITY, name
        line = getattr(node, "sourceline", None)
        where = f" (line {line})" if line else ""
        self.found.append(f"{name}{where}: {detail}")


def names(found):
    """The message names of `problems()`'s result, for assertions."""
    return [message.split(":")[0].split(" (")[0] for message in found]


def problems(body: bytes, url: str, content_type: str | None = None, now=None) -> list[str]:
    """What the W3C feed validator would report of an RSS 2.0 or Atom 1.0 document (by
    its root element), or what JSON Feed 1.1 forbids, for a document served at `url`
    (with `content_type`, if given): errors and the warnings kept, as messages."""
    report = Report()
    now = now or dt.datetime.now(dt.UTC)
    if body.lstrip()[:1] in (b"{", b"["):
        _json_feed(body, url, content_type, report, now)
        return report.found
    root = _parse(body, content_type, report)
    if root is None:
        return report.found
    _namespaces(root, report)
    _characters(root, report)
    local = lxml.etree.QName(root).localname
    namespace = lxml.etree.QName(root).namespace
    if local == "rss":
        if namespace:
            report("InvalidNamespace", f"<rss> is in the namespace {namespace}", root)
        _media_type(content_type, {"application/rss+xml"}, report)
        _rss(root, url, report, now)
    elif local == "feed":
        if namespace != ATOM:
            name = "MissingNamespace" if namespace is None else "InvalidNamespace"
            report(name, f"<feed> is in the namespace {namespace!r}, not Atom's", root)
        else:
            _media_type(content_type, {"application/atom+xml"}, report)
            _atom(root, url, report, now)
    else:
        report("UndefinedElement", f"<{local}> is neither RSS 2.0 nor an Atom feed", root)
    return report.found


# --- XML ----------------------------------------------------------------------------

XML_DECLARATION = re.compile(rb"^<\?xml\s+version\s*=\s*['\"]([^'\"]*)['\"](?:\s+encoding\s*=\s*['\"]([^'\"]*)['\"])?")  # fmt: skip


def _parse(body, content_type, report):
    declaration = XML_DECLARATION.match(body)
    encoding = "utf-8"
    if declaration:
        if declaration.group(1) != b"1.0":
            report("BadXmlVersion", f"XML version {declaration.group(1).decode()}, not 1.0")
        if declaration.group(2):
            encoding = declaration.group(2).decode("ascii", "replace")
    charset = _charset(content_type)
    if charset and declaration and declaration.group(2) and charset.lower() != encoding.lower():
        report("EncodingMismatch", f"HTTP says {charset}, the document {encoding}")
    try:
        body.decode(charset or encoding)
    except LookupError:
        report("UnknownEncoding", f"unknown encoding {encoding!r}")
        return None
    except UnicodeDecodeError as error:
        report("UnicodeError", str(error))
        return None
    parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        return lxml.etree.fromstring(body, parser)
    except lxml.etree.XMLSyntaxError as error:
        report("SAXError", str(error))
        return None


def _charset(content_type):
    match = re.search(r";\s*charset=\"?([^\";]+)", content_type or "", re.I)
    return match and match.group(1).strip()


def _media_type(content_type, expected, report):
    if content_type is None:
        return
    media_type = content_type.split(";")[0].strip().lower()
    generic = {"application/xml", "text/xml"}
    if media_type not in expected | generic:
        report("UnexpectedContentType", f"served as {media_type}")


def _namespaces(root, report):
    for node in root.iter(lxml.etree.Element):
        parent = node.getparent()
        above = parent.nsmap if parent is not None else {}
        for prefix, uri in node.nsmap.items():
            if above.get(prefix) == uri and prefix in above:
                continue
            expected = KNOWN_NAMESPACES.get(uri)
            if prefix and prefix in RESERVED_PREFIXES and RESERVED_PREFIXES[prefix] != uri:
                report("ReservedPrefix", f"prefix {prefix} is for {RESERVED_PREFIXES[prefix]}, not {uri}", node)  # fmt: skip
            elif expected is None:
                report("UnknownNamespace", f"use of unknown namespace: {uri}", node)
            elif uri == ATOM and prefix and lxml.etree.QName(root).namespace == ATOM:
                report("AvoidNamespacePrefix", f"avoid the prefix {prefix} for Atom in Atom", node)


def _characters(root, report):
    bad = re.compile("[\x80-\x9f\ufffd]")
    for node in root.iter(lxml.etree.Element):
        for text in [node.text, node.tail, *node.attrib.values()]:
            if text and bad.search(text):
                report("BadCharacters", f"C1 control or U+FFFD in <{_name(node)}>", node)
                break


def _name(node):
    qname = lxml.etree.QName(node)
    if qname.namespace is None:
        return qname.localname
    prefix = KNOWN_NAMESPACES.get(qname.namespace, qname.namespace)
    return f"{prefix}:{qname.localname}"


def _text(node):
    """The text of a leaf element (its children are reported elsewhere)."""
    return "".join(node.itertext())


def _ns(node):
    return lxml.etree.QName(node).namespace


def _local(node):
    return lxml.etree.QName(node).localname


# --- values -------------------------------------------------------------------------


def _uri(value, node, report, what, *, absolute=True, name=None):
    """An IRI (absolute unless `absolute` is false): InvalidFullLink, InvalidIRI, …"""
    name = name or ("InvalidFullLink" if absolute else "InvalidIRI")
    if not value or value != value.strip() or not URI_CHARS.match(value):
        report(name, f"{what} is not a valid IRI: {value!r}", node)
        return False
    scheme = SCHEME.match(value)
    if not scheme:
        if absolute:
            report(name, f"{what} is not absolute: {value!r}", node)
        return not absolute
    scheme = scheme.group(0)[:-1].lower()
    if scheme == "urn":
        if value.lower().startswith("urn:uuid:") and not UUID_URN.match(value):
            report("InvalidUUID", f"{what} is no UUID URN: {value!r}", node)
            return False
        if not URN.match(value):
            report("InvalidURN", f"{what} is no URN: {value!r}", node)
            return False
    elif scheme == "tag":
        if not TAG_URI.match(value):
            report("InvalidTAG", f"{what} is no tag: URI: {value!r}", node)
            return False
    elif scheme in ("http", "https", "ftp"):
        parts = urlsplit(value)
        if not re.match(r"^[a-z]+://[^/]", value, re.I) or not parts.hostname:
            report(name, f"{what} has no host: {value!r}", node)
            return False
        try:
            parts.port  # noqa: B018 — raises for a port that is no number
        except ValueError:
            report(name, f"{what} has a bad port: {value!r}", node)
            return False
    return True


def canonical(url):
    """A URL in its normal form (RFC 3986 §6.2.2-3): case, default port, dot
    segments, escapes of unreserved characters, an empty path as "/"."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    port = parts.port
    if (scheme, port) in (("http", 80), ("https", 443), ("ftp", 21)):
        port = None
    netloc = host + (f":{port}" if port else "")
    if parts.username:
        netloc = parts.username + "@" + netloc
    path = parts.path or ("/" if netloc else "")
    if netloc:
        path = urljoin("/", path) if path.startswith("/") else path

    def normal(text):
        return re.sub(
            "%[0-9A-Fa-f]{2}",
            lambda m: (
                unquote(m.group(0))
                if re.match(r"[A-Za-z0-9\-._~]", unquote(m.group(0)))
                else m.group(0).upper()
            ),
            text,
        )

    return urlunsplit((scheme, netloc, normal(path), normal(parts.query), normal(parts.fragment)))


def _language(value, node, report, what):
    if not LANGUAGE.match(value or ""):
        report("InvalidLanguage", f"{what} is no language tag: {value!r}", node)


def _rfc3339(value, node, report, what, now, *, exact_case=True):
    match = RFC3339.match(value if exact_case else value.upper())
    if not match:
        report("InvalidRFC3339Date", f"{what} is no RFC 3339 date-time: {value!r}", node)
        return
    try:
        moment = dt.datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
    except ValueError:
        report("InvalidRFC3339Date", f"{what} is no date: {value!r}", node)
        return
    _plausible(moment, node, report, what, now)


def _plausible(moment, node, report, what, now):
    if moment.year < 1990 or moment > now + dt.timedelta(minutes=10):
        report("ImplausibleDate", f"{what} is implausible: {moment.isoformat()}", node)


def _rfc822(value, node, report, what, now):
    strict = RFC2822.match(value)
    loose = strict or RFC822.match(re.sub(r"\([^()]*\)", " ", value).strip())
    if not loose:
        report("InvalidRFC2822Date", f"{what} is no RFC 822 date: {value!r}", node)
        return
    if not strict:
        report("ProblematicalRFC822Date", f"{what} is RFC 822 but not RFC 2822: {value!r}", node)
    weekday, day, month, year, hour, minute, second, zone = loose.groups()
    year = int(year) + (0 if len(year) == 4 else 2000 if int(year) < 50 else 1900)
    if zone[0] in "+-":
        hours, minutes = int(zone[1:3]), int(zone[3:])
        if minutes >= 60:
            report("InvalidRFC2822Date", f"{what} has a bad zone: {value!r}", node)
            return
        offset = (hours * 60 + minutes) * (1 if zone[0] == "+" else -1)
    else:
        offset = ZONES.get(zone.lower(), 0) * 60
    try:
        moment = dt.datetime(
            year, MONTHS.index(month.lower()) + 1, int(day), int(hour), int(minute),
            min(int(second or 0), 59), tzinfo=dt.timezone(dt.timedelta(minutes=offset)),
        )  # fmt: skip
    except ValueError as error:
        report("InvalidRFC2822Date", f"{what}: {error}: {value!r}", node)
        return
    if weekday and DAYS[moment.weekday()] != weekday.lower():
        report("IncorrectDOW", f"{what}: {moment:%d %b %Y} is no {weekday}: {value!r}", node)
        return
    _plausible(moment, node, report, what, now)


def _w3cdtf(value, node, report, what):
    if not W3CDTF.match(value):
        report("InvalidW3CDTFDate", f"{what} is no W3C-DTF date: {value!r}", node)


def _integer(value, node, report, what, *, positive):
    name = "InvalidPositiveInteger" if positive else "InvalidNonNegativeInteger"
    if not re.match(r"^\d+$", value.strip()) or (positive and int(value) == 0):
        report(name, f"{what} is no {'positive' if positive else 'non-negative'} integer: {value!r}", node)  # fmt: skip


def _plain(value, node, report, what, *, rss=False):
    """Text that is not HTML (RSS titles, Atom type="text"): ContainsHTML and kin."""
    name = "ContainsHTML" if rss else "ContainsUndeclaredHTML"
    tags = [t for t in HTML_END_TAG.findall(value) if t.lower() in HTML_ELEMENTS]
    if tags:
        report(name, f"{what} contains HTML: </{tags[0]}>", node)
        return
    for entity in HTML_ENTITY.findall(value):
        if entity in html.entities.name2codepoint or entity == "apos" or not entity.isalpha():
            report(name, f"{what} contains an escaped HTML entity: &{entity}", node)
            return
    if rss and re.search(r"&#[x0-9]|<[/a-zA-Z]", value):
        report("CharacterData", f"{what} holds markup-like text: {value[:60]!r}", node)


class _HTMLScan(HTMLParser):
    def __init__(self, found):
        super().__init__(convert_charrefs=True)
        self.found = found

    def handle_starttag(self, tag, attrs):
        if tag not in HTML_ELEMENTS:
            self.found.append(("NotHtml", f"non-HTML tag <{tag}>"))
        elif tag in UNSAFE_ELEMENTS:
            self.found.append(("SecurityRisk", f"<{tag}>"))
        for attribute, value in attrs:
            value = value or ""
            if attribute.startswith("on"):
                self.found.append(("SecurityRiskAttr", f"{attribute}= on <{tag}>"))
            elif attribute == "style" and UNSAFE_STYLE.search(value):
                self.found.append(("DangerousStyleAttr", f"style={value!r} on <{tag}>"))
            elif attribute in ("href", "src"):
                if UNSAFE_SCHEME.match(value):  # beyond the service
                    self.found.append(("SecurityRisk", f"{attribute}={value!r} on <{tag}>"))
                elif not SCHEME.match(value.strip()):
                    self.found.append(("ContainsRelRef", f"relative {attribute}={value!r}"))

    handle_startendtag = handle_starttag

    def handle_pi(self, data):
        if data.lower().startswith("import"):
            self.found.append(("SecurityRisk", "<?import"))


def _html(value, node, report, what):
    """HTML content: elements and attributes that are a risk to readers, relative
    references (no xml:base is written)."""
    found = []
    scanner = _HTMLScan(found)
    scanner.feed(value)
    scanner.close()
    for name, detail in found:
        report(name, f"{what}: {detail}", node)


def _no_children(node, report):
    for child in node.iterchildren(lxml.etree.Element):
        report("UndefinedElement", f"<{_name(child)}> inside <{_name(node)}>", child)


def _no_text(node, report):
    texts = [node.text, *(child.tail for child in node.iterchildren())]
    if any(text and text.strip() for text in texts):
        report("UnexpectedText", f"text directly inside <{_name(node)}>", node)


def _attributes(node, report, allowed, *, rss=False):
    for key in node.attrib:
        qname = lxml.etree.QName(key)
        if qname.namespace == XML_NS:
            if qname.localname == "lang":
                _language(node.get(key), node, report, "xml:lang")
            elif qname.localname == "base":
                _uri(node.get(key), node, report, "xml:base", absolute=False, name="InvalidIRI")
            continue
        if qname.namespace is None and qname.localname in allowed:
            continue
        if qname.namespace is not None and (qname.namespace, qname.localname) in allowed:
            continue
        if qname.namespace is not None and qname.namespace not in KNOWN_NAMESPACES and rss:
            report("UseOfExtensionAttr", f"{key} on <{_name(node)}>", node)
            continue
        report("UnexpectedAttribute", f"{qname.localname} on <{_name(node)}>", node)


def _single(node, report, names):
    seen = set()
    for child in node.iterchildren(lxml.etree.Element):
        key = child.tag
        if key in names and key in seen:
            report("DuplicateElement", f"<{_name(node)}> has more than one <{_name(child)}>", child)  # fmt: skip
        seen.add(key)


def _foreign(node, report, context):
    """An element of another namespace than the document's: only vocabulary is checked."""
    namespace = _ns(node)
    vocabulary = VOCABULARIES.get(namespace)
    if vocabulary is not None and _local(node) not in vocabulary:
        report("UndefinedElement", f"<{_name(node)}> is not in its namespace", node)
    if namespace == HISTORY and context not in ("channel", "feed"):
        report("UndefinedElement", f"<{_name(node)}> inside <{context}>", node)
    if namespace == HISTORY:
        _no_children(node, report)
        _no_text(node, report)
    if namespace == "http://www.georss.org/georss" and _local(node) == "point":
        _point(_text(node), node, report)
    if namespace == "http://purl.org/dc/elements/1.1/":
        value = _text(node)
        if _local(node) == "date":
            _w3cdtf(value, node, report, "dc:date")
        elif _local(node) == "language":
            _language(value, node, report, "dc:language")


def _point(value, node, report):
    match = re.match(r"^\s*([-+]?\d+\.?\d*)[ ,]([-+]?\d+\.?\d*)\s*$", value)
    if not match:
        report("InvalidCoord", f"georss:point is not 'latitude longitude': {value!r}", node)
    elif abs(float(match.group(1))) > 90 or abs(float(match.group(2))) > 180:
        report("InvalidCoord", f"georss:point is off the globe: {value!r}", node)


def _email_with_name(value, node, report, what):
    """RSS author, managingEditor, webMaster: "address (Name)"."""
    if value.startswith("mailto:"):
        value = unquote(value[7:])
    if "@" not in value:
        report("InvalidContact", f"{what} is no e-mail address: {value!r}", node)
    elif not value.endswith(")"):
        name = "EmailFormat" if " " in value else "MissingRealName"
        report(name, f"{what} should read 'address (Name)': {value!r}", node)
    elif not EMAIL.match(value.split(" (", 1)[0].strip()):
        report("InvalidContact", f"{what} is no e-mail address: {value!r}", node)


# --- links (Atom's link, and atom:link in RSS) ----------------------------------------

LINK_ATTRIBUTES = {"href", "rel", "type", "hreflang", "title", "length", (THREAD, "count"), (THREAD, "updated")}  # fmt: skip


class Link:
    def __init__(self, node):
        self.node = node
        self.rel = node.get("rel") or "alternate"
        self.rel = self.rel.removeprefix("http://www.iana.org/assignments/relation/")
        self.href = node.get("href")
        self.type = node.get("type")
        self.hreflang = node.get("hreflang")


def _link(node, report, context):
    link = Link(node)
    _attributes(node, report, LINK_ATTRIBUTES)
    where = f"<{_name(node)} rel={link.rel!r}>"
    if "rel" in node.attrib:
        if not node.get("rel"):
            report("AttrNotBlank", f"{where}: rel is empty", node)
        elif link.rel not in REGISTERED_RELATIONS and not SCHEME.match(link.rel):
            report("UnregisteredAtomLinkRel", f"{where}: unregistered relation", node)
        if link.rel in HISTORY_RELATIONS and context in ("entry", "item"):
            report("FeedHistoryRelInEntry", f"{where} inside <{context}>", node)
    if link.type is not None:
        if not MIME.match(link.type):
            report("InvalidMIMEType", f"{where}: type={link.type!r}", node)
        elif link.rel == "self" and link.type.split(";")[0].strip() not in SELF_TYPES:
            report("SelfNotAtom", f"{where}: type={link.type!r} is no feed's", node)
    if "title" in node.attrib:
        if not node.get("title"):
            report("AttrNotBlank", f"{where}: title is empty", node)
        else:
            _plain(node.get("title"), node, report, f"{where} title")
    if "length" in node.attrib:
        _integer(node.get("length"), node, report, f"{where} length", positive=False)
    if link.hreflang is not None:
        _language(link.hreflang, node, report, f"{where} hreflang")
    if link.href is None:
        report("MissingHref", f"{where} has no href", node)
    else:
        _uri(link.href, node, report, f"{where} href", absolute=False, name="InvalidIRI")
    if (node.text and node.text.strip()) or len(node):
        report("AtomLinkNotEmpty", f"{where} is not empty", node)
    return link


def _head_links(links, report, node, url, base, *, archive, complete):
    """The rules on the links of a feed's head: self, alternates, RFC 5005."""
    selves = [link for link in links if link.rel == "self"]
    here = canonical(url.split("#")[0]) if url else None
    for link in selves:
        if link.href is None:
            continue
        if not SCHEME.match(link.href) and not base:
            report("RelativeSelf", f"self link {link.href!r} is relative", link.node)
        target = canonical(urljoin(base or url or "", link.href).split("#")[0])
        if here and target != here:
            report("SelfDoesntMatchLocation", f"self {link.href!r} is not {url!r}", link.node)
    _alternates(links, report)
    hrefs = {
        link.rel: canonical(urljoin(base or url or "", link.href)) for link in links if link.href
    }
    for edge, beyond in [("first", "previous"), ("last", "next")]:
        if edge in hrefs and hrefs[edge] == here and beyond in hrefs:
            report("LinkPastEnd", f"{beyond} link in the {edge} document", node)
    rels = {link.rel for link in links}
    if complete:
        for link in links:
            if link.rel == "current" and hrefs.get("current") != here:
                report("CurrentNotSelfInCompleteFeed", "a complete feed's current is not itself", link.node)  # fmt: skip
            elif link.rel in HISTORY_RELATIONS - {"current"}:
                report("FeedRelInCompleteFeed", f"rel={link.rel!r} in a complete feed", link.node)  # fmt: skip
    if archive:
        if not rels & {"prev-archive", "next-archive"} and not complete:
            report("ArchiveIncomplete", "fh:archive without prev-archive or next-archive", node)
        if "current" not in rels and not complete:
            report("MissingCurrentInArchive", "fh:archive without a current link", node)


def _alternates(links, report):
    seen = set()
    for link in links:
        if link.rel != "alternate":
            continue
        key = (link.type, link.hreflang)
        if key in seen:
            report("DuplicateAtomLink", f"two alternate links of type={link.type!r} hreflang={link.hreflang!r}", link.node)  # fmt: skip
        seen.add(key)


def _history(node):
    """(archive, complete): the RFC 5005 markers among a head's children."""
    found = {_local(child) for child in node.iterchildren(f"{{{HISTORY}}}*")}
    return "archive" in found, "complete" in found


# --- RSS 2.0 ------------------------------------------------------------------------

CHANNEL = {
    "title", "link", "description", "language", "copyright", "managingEditor", "webMaster",
    "pubDate", "lastBuildDate", "category", "generator", "docs", "cloud", "ttl", "image",
    "rating", "textInput", "skipHours", "skipDays", "item",
}  # fmt: skip
CHANNEL_SINGLE = CHANNEL - {"category", "item"}
ITEM = {"title", "link", "description", "author", "category", "comments", "enclosure", "guid", "pubDate", "source"}  # fmt: skip
ITEM_SINGLE = ITEM - {"category", "enclosure"}
RSS_ATTRIBUTES = {
    "rss": {"version"}, "guid": {"isPermaLink"}, "category": {"domain"},
    "enclosure": {"url", "length", "type"}, "source": {"url"},
    "cloud": {"domain", "port", "path", "registerProcedure", "protocol"},
}  # fmt: skip
DC = "http://purl.org/dc/elements/1.1/"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
# (core element, extension element) saying the same (DuplicateSemantics).
CHANNEL_TWINS = [
    ("managingEditor", f"{{{DC}}}creator"), ("pubDate", f"{{{DC}}}date"),
    ("language", f"{{{DC}}}language"), ("copyright", f"{{{DC}}}rights"),
    ("category", f"{{{DC}}}subject"), ("webMaster", f"{{{DC}}}publisher"),
    ("lastBuildDate", "{http://purl.org/dc/terms/}modified"),
]  # fmt: skip
ITEM_TWINS = [
    ("author", f"{{{DC}}}creator"), ("pubDate", f"{{{DC}}}date"),
    ("category", f"{{{DC}}}subject"), ("guid", f"{{{ATOM}}}id"),
    ("pubDate", f"{{{ATOM}}}published"), ("source", f"{{{DC}}}source"),
]  # fmt: skip


def _rss(root, url, report, now):
    _attributes(root, report, RSS_ATTRIBUTES["rss"])
    version = root.get("version")
    if version is None:
        report("MissingAttribute", "<rss> has no version", root)
    elif version not in ("0.91", "0.92", "2.0"):
        report("InvalidRSSVersion", f"version {version!r}", root)
    channels = [c for c in root.iterchildren(lxml.etree.Element) if c.tag == "channel"]
    for child in root.iterchildren(lxml.etree.Element):
        if child.tag != "channel" and _ns(child) is None:
            report("UndefinedElement", f"<{_name(child)}> inside <rss>", child)
    _no_text(root, report)
    if not channels:
        report("MissingElement", "<rss> has no <channel>", root)
        return
    if len(channels) > 1:
        report("DuplicateElement", "<rss> has more than one <channel>", channels[1])
    _channel(channels[0], url, report, now)


def _channel(channel, url, report, now):
    _attributes(channel, report, set(), rss=True)
    _no_text(channel, report)
    _single(channel, report, CHANNEL_SINGLE)
    present = {child.tag for child in channel.iterchildren(lxml.etree.Element)}
    for tag, name in [("title", "MissingTitle"), ("link", "MissingLink"), ("description", "MissingDescription")]:  # fmt: skip
        if tag not in present:
            report(name, f"<channel> has no <{tag}>", channel)
    _twins(channel, present, CHANNEL_TWINS, "DuplicateSemantics", report)
    title = link = None
    links = []
    seen_item = False
    guids = set()
    for child in channel.iterchildren(lxml.etree.Element):
        namespace, local = _ns(child), _local(child)
        if local == "item" and namespace is None:
            seen_item = True
            _item(child, report, now, guids)
            continue
        if seen_item:  # the RSS Best Practices Profile (beyond the service for foreign ones)
            report("MisplacedItem", f"<{_name(child)}> after the first <item>", child)
        value = _text(child)
        if namespace == ATOM and local == "link":
            links.append(_link(child, report, "channel"))
        elif namespace == ATOM:
            _atom_in_rss(child, report, now)
        elif namespace is not None:
            _foreign(child, report, "channel")
        elif local not in CHANNEL:
            report("UndefinedElement", f"<{local}> inside <channel>", child)
        else:
            _attributes(child, report, RSS_ATTRIBUTES.get(local, set()), rss=True)
            if local not in ("image", "textInput", "skipHours", "skipDays", "cloud"):
                _no_children(child, report)
            if local == "title":
                title = value
                _nonblank(value, child, report, "channel title")
                _plain(value, child, report, "channel title", rss=True)
            elif local == "link":
                link = value
                _uri(value, child, report, "channel link")
            elif local == "description":
                _plain(value, child, report, "channel description", rss=True)
            elif local == "language":
                _language(value, child, report, "language")
            elif local in ("pubDate", "lastBuildDate"):
                _rfc822(value, child, report, local, now)
            elif local in ("managingEditor", "webMaster"):
                _email_with_name(value, child, report, local)
            elif local == "docs":
                _uri(value, child, report, "docs")
            elif local == "ttl":
                _integer(value, child, report, "ttl", positive=True)
            elif local == "category":
                _plain(value, child, report, "category", rss=True)
            elif local == "textInput":
                report("AvoidTextInput", "<textInput> is best avoided", child)
            elif local == "cloud":
                for attribute in RSS_ATTRIBUTES["cloud"]:
                    if attribute not in child.attrib:
                        report("MissingAttribute", f"<cloud> has no {attribute}", child)
    for child in channel.iterchildren("image"):
        _image(child, report, title, link)
    if not any(link.rel == "self" for link in links):
        report("MissingAtomSelfLink", '<channel> has no atom:link rel="self"', channel)
    archive, complete = _history(channel)  # beyond the service: it checks these in Atom only
    _head_links(links, report, channel, url, None, archive=archive, complete=complete)


def _nonblank(value, node, report, what):
    if not value.strip():
        report("NotBlank", f"{what} is empty", node)


def _twins(node, present, twins, name, report):
    for core, extension in twins:
        if core in present and extension in present:
            extension_name = KNOWN_NAMESPACES[lxml.etree.QName(extension).namespace]
            report(name, f"<{core}> and {extension_name}:{lxml.etree.QName(extension).localname} both", node)  # fmt: skip


def _image(image, report, channel_title, channel_link):
    _no_text(image, report)
    _single(image, report, {"url", "title", "link", "width", "height", "description"})
    present = {child.tag for child in image}
    for tag, name in [("title", "MissingTitle"), ("url", "MissingElement"), ("link", "MissingLink")]:  # fmt: skip
        if tag not in present:
            report(name, f"<image> has no <{tag}>", image)
    for child in image.iterchildren(lxml.etree.Element):
        value = _text(child)
        if _ns(child) is not None:
            _foreign(child, report, "image")
        elif child.tag == "url":
            _uri(value, child, report, "image url")
            extension = value.rsplit(".", 1)[-1].lower()
            if re.match(r"^\w+$", extension) and extension not in IMAGE_EXTENSIONS:
                report("ImageUrlFormat", f"image url {value!r} is no jpg, gif or png", child)
        elif child.tag == "link":
            _uri(value, child, report, "image link")
            if channel_link and value != channel_link:
                report("ImageLinkDoesntMatch", f"image link {value!r} is not the channel's", child)  # fmt: skip
        elif child.tag == "title":
            _nonblank(value, child, report, "image title")
            _plain(value, child, report, "image title", rss=True)
            if channel_title and value != channel_title:
                report("ImageTitleDoesntMatch", f"image title {value!r} is not the channel's", child)  # fmt: skip
        elif child.tag in ("width", "height"):
            limit = 144 if child.tag == "width" else 400
            if not value.isdigit() or not 0 < int(value) <= limit:
                name = "InvalidWidth" if child.tag == "width" else "InvalidHeight"
                report(name, f"image {child.tag} {value!r}", child)
        elif child.tag == "description":
            _plain(value, child, report, "image description", rss=True)
        else:
            report("UndefinedElement", f"<{child.tag}> inside <image>", child)


def _atom_in_rss(node, report, now):
    """Atom elements other than atom:link, in a channel or item."""
    local = _local(node)
    value = _text(node)
    if local in ("title", "subtitle", "rights", "content"):
        report("DuplicateDescriptionSemantics", f"atom:{local} in RSS", node)
    if local in ("updated", "published"):
        _rfc3339(value, node, report, f"atom:{local}", now)
    elif local == "id":
        _uri(value, node, report, "atom:id")
    elif local not in ATOM_RSS_EXTRAS:
        report("UndefinedElement", f"atom:{local} in RSS", node)


ATOM_RSS_EXTRAS = {"title", "subtitle", "rights", "content", "summary", "author", "contributor",
                   "category", "generator", "icon", "logo"}  # fmt: skip


def _item(item, report, now, guids):
    _attributes(item, report, set(), rss=True)
    _no_text(item, report)
    _single(item, report, ITEM_SINGLE)
    present = {child.tag for child in item.iterchildren(lxml.etree.Element)}
    if "title" not in present and "description" not in present:
        report("ItemMustContainTitleOrDescription", "<item> has neither title nor description", item)  # fmt: skip
    if "guid" not in present:
        report("MissingGuid", "<item> has no <guid>", item)
    _twins(item, present, ITEM_TWINS, "DuplicateItemSemantics", report)
    enclosures = item.findall("enclosure")
    if len(enclosures) > 1:
        report("DuplicateEnclosure", "<item> has more than one <enclosure>", enclosures[1])
    described = False
    for child in item.iterchildren(lxml.etree.Element):
        namespace, local = _ns(child), _local(child)
        value = _text(child)
        if namespace == ATOM and local == "link":
            _link(child, report, "item")
        elif namespace == ATOM:
            _atom_in_rss(child, report, now)
        elif namespace == CONTENT and local == "encoded":
            if not described:
                report("NeedDescriptionBeforeContent", "content:encoded before <description>", child)  # fmt: skip
            _no_children(child, report)
            _html(value, child, report, "content:encoded")
        elif namespace is not None:
            _foreign(child, report, "item")
        elif local not in ITEM:
            report("UndefinedElement", f"<{local}> inside <item>", child)
        else:
            _attributes(child, report, RSS_ATTRIBUTES.get(local, set()), rss=True)
            _no_children(child, report)
            if local == "title":
                _nonblank(value, child, report, "item title")
                _plain(value, child, report, "item title", rss=True)
            elif local == "description":
                described = True
                _html(value, child, report, "item description")
            elif local in ("link", "comments"):
                _uri(value, child, report, f"item {local}")
            elif local == "pubDate":
                _rfc822(value, child, report, "item pubDate", now)
            elif local == "author":
                _email_with_name(value, child, report, "item author")
            elif local == "category":
                _nonblank(value, child, report, "item category")
                _plain(value, child, report, "item category", rss=True)
            elif local == "guid":
                _guid(child, value, report, guids)
            elif local == "enclosure":
                _enclosure(child, report)
            elif local == "source":
                if "url" not in child.attrib:
                    report("MissingAttribute", "<source> has no url", child)
                else:
                    _uri(child.get("url"), child, report, "source url")


def _guid(node, value, report, guids):
    permalink = node.get("isPermaLink", "true")
    if permalink not in ("true", "false"):
        report("InvalidBooleanAttribute", f"isPermaLink={permalink!r}", node)
    if not value:
        report("NotBlank", "<guid> is empty", node)
    elif permalink != "false":
        if value.lower().startswith(("tag:", "urn:uuid:")):
            report("InvalidPermalink", f"guid {value!r} is a permalink, but no URL", node)
        else:
            _uri(value, node, report, "guid (a permalink)", name="InvalidHttpGUID")
    elif value.isdigit() and len(value) < 9:
        report("NotSufficientlyUnique", f"guid {value!r} is not unique enough", node)
    if value in guids:
        report("DuplicateValue", f"guid {value!r} twice in the channel", node)
    guids.add(value)


def _enclosure(node, report):
    for attribute in ("url", "length", "type"):
        if attribute not in node.attrib:
            report("MissingAttribute", f"<enclosure> has no {attribute}", node)
    if "length" in node.attrib and not re.match(r"^\d+$", node.get("length")):
        report("InvalidIntegerAttribute", f"enclosure length {node.get('length')!r}", node)
    if "type" in node.attrib and not MIME.match(node.get("type")):
        report("InvalidMIMEAttribute", f"enclosure type {node.get('type')!r}", node)
    if "url" in node.attrib and not re.match(r"^https?://[^/]", node.get("url"), re.I):
        report("InvalidURLAttribute", f"enclosure url {node.get('url')!r}", node)


# --- Atom 1.0 (RFC 4287) ------------------------------------------------------------

FEED = {"author", "category", "contributor", "generator", "icon", "id", "link", "logo",
        "rights", "subtitle", "title", "updated", "entry"}  # fmt: skip
FEED_SINGLE = {"generator", "icon", "id", "logo", "rights", "subtitle", "title", "updated"}
ENTRY = {"author", "category", "content", "contributor", "id", "link", "published",
         "rights", "source", "summary", "title", "updated"}  # fmt: skip
ENTRY_SINGLE = {"content", "id", "published", "rights", "source", "summary", "title", "updated"}
TEXT_CONSTRUCTS = {"title", "subtitle", "rights", "summary"}


def _a(local):
    return f"{{{ATOM}}}{local}"


def _atom(feed, url, report, now):
    _attributes(feed, report, set())
    _no_text(feed, report)
    base = _base(feed, url)
    head = _atom_head(feed, report, now, base, FEED, FEED_SINGLE, "feed")
    present = {child.tag for child in feed.iterchildren(lxml.etree.Element)}
    for local in ("id", "title", "updated"):
        if _a(local) not in present:
            report("MissingElement", f"<feed> has no <{local}>", feed)
    links = head["links"]
    if not any(link.rel == "self" for link in links):
        report("MissingSelf", '<feed> has no link rel="self"', feed)
    archive, complete = _history(feed)
    _head_links(links, report, feed, url, base, archive=archive, complete=complete)
    ids = set()
    feed_author = _a("author") in present
    for entry in feed.iterchildren(_a("entry")):
        _entry(entry, report, now, base, feed_author, ids)


def _base(node, url):
    """The base URI of a node: xml:base on it and its ancestors, on the document's."""
    bases = [n.get(f"{{{XML_NS}}}base") for n in [*reversed(list(node.iterancestors())), node]]
    base = url or ""
    for value in bases:
        if value:
            base = urljoin(base, value)
    return base if any(bases) else None


def _atom_head(node, report, now, base, allowed, single, context):
    """The children of a feed or an entry (or a source): what each must be."""
    _single(node, report, {_a(local) for local in single})
    links = []
    seen_entry = False
    for child in node.iterchildren(lxml.etree.Element):
        namespace, local = _ns(child), _local(child)
        if namespace == ATOM and local == "entry" and context == "feed":
            seen_entry = True
            continue
        if seen_entry:  # RFC 4287 §4.1.1: metadata first (foreign too: beyond the service)
            report("MisplacedMetadata", f"<{_name(child)}> after the first <entry>", child)
        if namespace is None:
            report("UndeterminableVocabulary", f"<{local}> in no namespace", child)
            continue
        if namespace != ATOM:
            _foreign(child, report, context)
            continue
        if local not in allowed:
            report("UndefinedElement", f"<{local}> inside <{context}>", child)
            continue
        value = _text(child)
        if local == "link":
            links.append(_link(child, report, context))
            continue
        if local in ("author", "contributor"):
            _person(child, report)
            continue
        if local == "category":
            _category(child, report)
            continue
        if local == "source":
            _attributes(child, report, set())
            _atom_head(child, report, now, _base(child, base), FEED - {"entry"}, FEED_SINGLE, "source")  # fmt: skip
            continue
        if local in TEXT_CONSTRUCTS:
            _text_construct(child, report, f"<{context}> {local}")
            continue
        if local == "content":
            _content(child, report, context)
            continue
        _attributes(child, report, {"uri", "version"} if local == "generator" else set())
        _no_children(child, report)
        if local in ("id", "updated", "published", "icon", "logo") and value != value.strip():
            report("UnexpectedWhitespace", f"<{local}> has white space around {value.strip()!r}", child)  # fmt: skip
        value = value.strip()
        if local == "id":
            if _uri(value, child, report, f"<{context}> id") and canonical(value) != value:
                report("NonCanonicalURI", f"id {value!r} is not canonical: {canonical(value)!r}", child)  # fmt: skip
        elif local in ("updated", "published"):
            _rfc3339(value, child, report, f"<{context}> {local}", now)
        elif local in ("icon", "logo"):
            _nonblank(value, child, report, local)
            _uri(value, child, report, local, absolute=False, name="InvalidIRI")
        elif local == "generator":
            _plain(value, child, report, "generator")
            if "uri" in child.attrib:
                _uri(child.get("uri"), child, report, "generator uri", absolute=False, name="InvalidURIAttribute")  # fmt: skip
    return {"links": links}


def _person(node, report):
    _attributes(node, report, set())
    _no_text(node, report)
    _single(node, report, {_a("name"), _a("uri"), _a("email")})
    if node.find(_a("name")) is None:
        report("MissingElement", f"<{_local(node)}> has no <name>", node)
    for child in node.iterchildren(lxml.etree.Element):
        value = _text(child)
        if _ns(child) != ATOM:
            if _ns(child) is None:
                report("UndeterminableVocabulary", f"<{_local(child)}> in no namespace", child)
            continue
        _attributes(child, report, set())
        _no_children(child, report)
        if _local(child) == "name":
            _nonblank(value, child, report, "author name")
            _plain(value, child, report, "author name")
            if re.search(r"<[^<>@\s]+@[^<>\s]+>", value):
                report("ContainsEmail", f"author name {value!r} holds an e-mail address", child)
        elif _local(child) == "email":
            if not EMAIL.match(value):
                report("InvalidAddrSpec", f"author email {value!r}", child)
        elif _local(child) == "uri":
            _nonblank(value, child, report, "author uri")
            _uri(value, child, report, "author uri", absolute=False, name="InvalidIRI")
        else:
            report("UndefinedElement", f"<{_local(child)}> inside <{_local(node)}>", child)


def _category(node, report):
    _attributes(node, report, {"term", "scheme", "label"})
    if "term" not in node.attrib:
        report("MissingAttribute", "<category> has no term", node)
    elif not node.get("term"):
        report("NotBlank", "<category> term is empty", node)
    if "scheme" in node.attrib:
        _uri(node.get("scheme"), node, report, "category scheme")
    if "label" in node.attrib:
        _plain(node.get("label"), node, report, "category label")


def _text_construct(node, report, what, allowed=("type",)):
    _attributes(node, report, set(allowed))
    kind = node.get("type", "text")
    if not node.get("type", "x"):
        report("AttrNotBlank", f"{what}: type is empty", node)
    if kind not in ("text", "html", "xhtml"):
        report("InvalidTextType", f"{what}: type={kind!r}", node)
        return
    value = _text(node)
    if kind == "xhtml":
        divs = list(node.iterchildren(lxml.etree.Element))
        if len(divs) != 1 or divs[0].tag != f"{{{XHTML}}}div" or (node.text or "").strip():
            report("MissingXhtmlDiv", f"{what}: type xhtml needs one xhtml:div", node)
        return
    _no_children(node, report)
    if kind == "html":
        _html(value, node, report, what)
    else:
        _plain(value, node, report, what)
    if not value.strip():
        report("NotBlank", f"{what} is empty", node)


def _content(node, report, context):
    kind = node.get("type", "text")
    if "src" in node.attrib:
        _attributes(node, report, {"type", "src"})
        _uri(node.get("src"), node, report, "content src", absolute=False, name="InvalidIRI")
        if "type" not in node.attrib:
            report("MissingTypeAttr", "<content src> has no type", node)
        if _text(node).strip() or len(node):
            report("UnexpectedText", "<content src> is not empty", node)
        return
    if kind in ("text", "html", "xhtml"):
        _text_construct(node, report, f"<{context}> content", ("type",))
    elif not MIME.match(kind) or kind == "multipart/alternative":
        _attributes(node, report, {"type"})
        report("InvalidMIMEType", f"content type={kind!r}", node)
    elif not (kind.endswith(("+xml", "/xml")) or kind.startswith("text/")):
        _attributes(node, report, {"type"})
        if not re.match(r"^[A-Za-z0-9+/=\s]*$", _text(node)):
            report("NotBase64", f"content of type {kind!r} is not base64", node)


def _entry(entry, report, now, base, feed_author, ids):
    _attributes(entry, report, set())
    _no_text(entry, report)
    base = _base(entry, base) or base
    head = _atom_head(entry, report, now, base, ENTRY, ENTRY_SINGLE, "entry")
    present = {child.tag for child in entry.iterchildren(lxml.etree.Element)}
    for local in ("id", "title", "updated"):
        if _a(local) not in present:
            report("MissingElement", f"<entry> has no <{local}>", entry)
    source = entry.find(_a("source"))
    if _a("author") not in present and not feed_author and (source is None or source.find(_a("author")) is None):  # fmt: skip
        report("MissingElement", "<entry> has no <author>, nor has the feed", entry)
    links = head["links"]
    content = entry.find(_a("content"))
    if content is None:
        if _a("summary") not in present:
            report("MissingTextualContent", "<entry> has neither content nor summary", entry)
        if not any(link.rel == "alternate" for link in links):
            report("MissingContentOrAlternate", "<entry> has neither content nor an alternate link", entry)  # fmt: skip
    elif _a("summary") not in present:
        kind = content.get("type", "text")
        binary = "/" in kind and not (kind.endswith(("+xml", "/xml")) or kind.startswith("text/"))  # fmt: skip
        if "src" in content.attrib or binary:
            report("MissingSummary", "<entry> with this content needs a <summary>", entry)
    _alternates(links, report)
    entry_id = entry.findtext(_a("id"))
    if entry_id is not None:
        if entry_id.strip() in ids:
            report("DuplicateEntries", f"two entries with the id {entry_id.strip()!r}", entry)
        ids.add(entry_id.strip())


# --- JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/) ---------------------------

JSON_VERSIONS = {"https://jsonfeed.org/version/1.1", "https://jsonfeed.org/version/1"}
JSON_TOP = {
    "version": str, "title": str, "home_page_url": str, "feed_url": str, "description": str,
    "user_comment": str, "next_url": str, "icon": str, "favicon": str, "authors": list,
    "author": dict, "language": str, "expired": bool, "hubs": list, "items": list,
}  # fmt: skip
JSON_ITEM = {
    "id": str, "url": str, "external_url": str, "title": str, "content_html": str,
    "content_text": str, "summary": str, "image": str, "banner_image": str,
    "date_published": str, "date_modified": str, "authors": list, "author": dict,
    "tags": list, "language": str, "attachments": list,
}  # fmt: skip
JSON_URLS = {"home_page_url", "feed_url", "next_url", "icon", "favicon", "url",
             "external_url", "image", "banner_image", "avatar"}  # fmt: skip
JSON_AUTHOR = {"name": str, "url": str, "avatar": str}
JSON_HUB = {"type": str, "url": str}
JSON_ATTACHMENT = {"url": str, "mime_type": str, "title": str, "size_in_bytes": (int, float),
                   "duration_in_seconds": (int, float)}  # fmt: skip


def _json_feed(body, url, content_type, report, now):
    if content_type is not None:
        media_type = content_type.split(";")[0].strip().lower()
        if media_type not in ("application/feed+json", "application/json"):
            report("UnexpectedContentType", f"served as {media_type}")
    try:
        document = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        report("JSONFeedNotJSON", str(error))
        return
    if not isinstance(document, dict):
        report("JSONFeedType", "the feed is no JSON object")
        return
    _json_object(document, JSON_TOP, "feed", report)
    for key in ("version", "title", "items"):
        if key not in document:
            report("JSONFeedMissing", f"the feed has no {key}")
    if "version" in document and document["version"] not in JSON_VERSIONS:
        report("JSONFeedVersion", f"version {document['version']!r}")
    for key in ("home_page_url", "feed_url"):
        if key not in document:
            report("JSONFeedRecommended", f"the feed has no {key} (strongly recommended)")
    _json_urls(document, "feed", report)
    feed_url = document.get("feed_url")
    if isinstance(feed_url, str) and url and canonical(feed_url) != canonical(url):
        report("SelfDoesntMatchLocation", f"feed_url {document['feed_url']!r} is not {url!r}")  # fmt: skip
    if document.get("next_url") is not None and document.get("next_url") == document.get("feed_url"):  # fmt: skip
        report("JSONFeedNextURL", "next_url is the feed_url")
    if isinstance(document.get("language"), str) and not LANGUAGE.match(document["language"]):
        report("JSONFeedLanguage", f"feed language {document['language']!r}")
    _json_authors(document, "feed", report)
    for n, hub in enumerate(document.get("hubs") or []):
        where = f"hubs[{n}]"
        if not isinstance(hub, dict):
            report("JSONFeedType", f"{where} is no object")
            continue
        _json_object(hub, JSON_HUB, where, report)
        for key in ("type", "url"):
            if not hub.get(key):
                report("JSONFeedMissing", f"{where} has no {key}")
        _json_urls(hub, where, report)
    ids = set()
    items = document.get("items")
    for n, item in enumerate(items if isinstance(items, list) else []):
        where = f"items[{n}]"
        if not isinstance(item, dict):
            report("JSONFeedType", f"{where} is no object")
            continue
        _json_item(item, where, report, now, ids)


def _json_item(item, where, report, now, ids):
    _json_object(item, JSON_ITEM, where, report)
    if "id" not in item:
        report("JSONFeedMissing", f"{where} has no id")
    elif isinstance(item["id"], str):
        if not item["id"].strip():
            report("JSONFeedMissing", f"{where} has an empty id")
        if item["id"] in ids:
            report("JSONFeedDuplicateId", f"{where}: id {item['id']!r} twice")
        ids.add(item["id"])
    if "content_html" not in item and "content_text" not in item:
        report("JSONFeedMissing", f"{where} has neither content_html nor content_text")
    _json_urls(item, where, report)
    for key in ("date_published", "date_modified"):
        if isinstance(item.get(key), str):
            _rfc3339_json(item[key], f"{where}.{key}", report, now)
    if isinstance(item.get("content_html"), str):
        _html(item["content_html"], None, report, f"{where}.content_html")
    if isinstance(item.get("language"), str) and not LANGUAGE.match(item["language"]):
        report("JSONFeedLanguage", f"{where}.language {item['language']!r}")
    tags = item.get("tags")
    if isinstance(tags, list) and not all(isinstance(tag, str) for tag in tags):
        report("JSONFeedType", f"{where}.tags holds something other than strings")
    _json_authors(item, where, report)
    for n, attachment in enumerate(item.get("attachments") or []):
        at = f"{where}.attachments[{n}]"
        if not isinstance(attachment, dict):
            report("JSONFeedType", f"{at} is no object")
            continue
        _json_object(attachment, JSON_ATTACHMENT, at, report)
        for key in ("url", "mime_type"):
            if key not in attachment:
                report("JSONFeedMissing", f"{at} has no {key}")
        _json_urls(attachment, at, report)


def _rfc3339_json(value, what, report, now):
    found = Report()
    _rfc3339(value, None, found, what, now, exact_case=False)
    for message in found.found:
        name, rest = message.split(":", 1)
        report("JSONFeedDate" if name == "InvalidRFC3339Date" else name, rest.strip())


def _json_object(data, spec, where, report):
    """Known keys of the right type; others only as extensions (`_` and a letter, no
    dot; their members neither start with `_` nor hold a dot)."""
    for key, value in data.items():
        if key.startswith("_"):
            if not re.match(r"^_[A-Za-z]", key) or "." in key:
                report("JSONFeedExtensionName", f"{where}: extension {key!r}")
            if not isinstance(value, dict):  # "custom objects", each with its `about`
                report("JSONFeedExtensionNotObject", f"{where}: extension {key!r}")
            for member in _members(value):
                if member.startswith("_") or "." in member:
                    report("JSONFeedExtensionName", f"{where}.{key}: member {member!r}")
            continue
        if key not in spec:
            report("JSONFeedUnknownKey", f"{where}: {key!r} is no JSON Feed 1.1 key")
            continue
        if not isinstance(value, spec[key]) or (spec[key] is int and isinstance(value, bool)):
            report("JSONFeedType", f"{where}.{key} is a {type(value).__name__}")
        if key == "author":
            report("JSONFeedDeprecated", f"{where}: author (use authors)")


def _members(value):
    if isinstance(value, dict):
        yield from value
    elif isinstance(value, list):
        for element in value:
            if isinstance(element, dict):
                yield from element


def _json_urls(data, where, report):
    for key in JSON_URLS & data.keys():
        if isinstance(data[key], str):
            found = Report()
            _uri(data[key], None, found, f"{where}.{key}")
            if found.found:
                report("JSONFeedURL", found.found[0].split(":", 1)[1].strip())


def _json_authors(data, where, report):
    authors = data.get("authors")
    for n, author in enumerate(authors if isinstance(authors, list) else []):
        at = f"{where}.authors[{n}]"
        if not isinstance(author, dict):
            report("JSONFeedType", f"{at} is no object")
            continue
        _json_object(author, JSON_AUTHOR, at, report)
        if not any(author.get(key) for key in JSON_AUTHOR):
            report("JSONFeedEmptyAuthor", f"{at} has neither name, url nor avatar")
        _json_urls(author, at, report)


# --- what the tests assert of links --------------------------------------------------


def head_links(body: bytes) -> list[tuple[str, str, str | None]]:
    """(rel, href, type) of the links a feed's head names, whatever the format: Atom
    links and RSS atom:links; JSON Feed's feed_url (self), hubs and `_links`."""
    if body.lstrip()[:1] == b"{":
        document = json.loads(body)
        found = [("self", document["feed_url"], "application/feed+json")]
        found += [("hub", hub["url"], None) for hub in document.get("hubs", [])]
        found += [(link["rel"], link["href"], link.get("type")) for link in document.get("_links", {}).get("links", [])]  # fmt: skip
        return found
    root = lxml.etree.fromstring(body)
    head = root if _local(root) == "feed" else root.find("channel")
    return [
        (Link(node).rel, node.get("href"), node.get("type"))
        for node in head.iterchildren(_a("link"))
    ]


def archive_markers(body: bytes) -> int:
    """How many RFC 5005 fh:archive markers a document holds (JSON Feed: `_links.archive`)."""
    if body.lstrip()[:1] == b"{":
        return int(json.loads(body).get("_links", {}).get("archive") is True)
    root = lxml.etree.fromstring(body)
    return len(list(root.iter(f"{{{HISTORY}}}archive")))


def every_href(body: bytes) -> list[str]:
    """Every address a document links to: link hrefs, RSS links and comments, JSON Feed
    URLs, and a and img in the HTML it carries."""
    found = []
    if body.lstrip()[:1] == b"{":
        document = json.loads(body)
        found += [document[key] for key in JSON_URLS & document.keys()]
        found += [hub["url"] for hub in document.get("hubs", [])]
        found += [link["href"] for link in document.get("_links", {}).get("links", [])]
        for item in document["items"]:
            found += [item[key] for key in JSON_URLS & item.keys()]
            found += _html_refs(item.get("content_html", ""))
        return found
    root = lxml.etree.fromstring(body)
    for node in root.iter(lxml.etree.Element):
        if _local(node) == "link" and node.get("href") is not None:
            found.append(node.get("href"))
        elif node.tag in ("link", "comments", "docs", "url") or _local(node) in ("icon", "logo"):
            found.append(_text(node).strip())
        elif node.tag == "description" or _local(node) in ("content", "encoded"):
            if node.getparent().tag == "channel":
                continue
            if node.get("type", "text" if _ns(node) == ATOM else "html") == "html":
                found += _html_refs(_text(node))
    return found


def _html_refs(value):
    refs = []

    class Refs(HTMLParser):
        def handle_starttag(self, tag, attrs):
            refs.extend(v for k, v in attrs if k in ("href", "src") and v is not None)

    Refs().feed(value)
    return refs

"""A WordPress post's content as the site's clean HTML.

Classic posts are stored without paragraphs (WordPress adds them when it shows a post:
``wpautop``); block posts carry their HTML between ``<!-- wp:… -->`` comments. Shortcodes are
turned into the editor's markup where there is one (``[caption]`` → figure, ``[gallery]`` →
figures, ``[embed]``/``[video]``/``[audio]`` and a video address alone on its line → a link to
it); any other shortcode stays as text and is reported. Addresses of old uploads are rewritten
to the imported files. The result goes through the editor's sanitiser
(``nejat.media.richtext``), like everything saved.
"""

import html
import re
from dataclasses import dataclass, field

from media_gallery.embeds import parse_video_url
from nejat.media.richtext import sanitize_html

# The block elements of WordPress's wpautop(), which are never wrapped in a paragraph.
BLOCK = (
    r"(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form"
    r"|map|area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article"
    r"|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary)"
)
BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:[^>]*?-->\s*")
SHORTCODE = re.compile(
    r"\[(?P<name>[a-zA-Z_][\w-]*)(?P<attrs>[^\]]*?)\s*(?P<self>/)?\]"
    r"(?:(?P<inner>.*?)\[/(?P=name)\])?",
    re.DOTALL,
)
ATTRIBUTE = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))""")
VIDEO_LINE = re.compile(r"^[ \t]*(https?://\S+)[ \t]*$", re.MULTILINE)


@dataclass
class Converted:
    html: str
    unknown_shortcodes: set = field(default_factory=set)
    images: list = field(default_factory=list)  # the old upload addresses it shows


def wpautop(text):
    """WordPress's automatic paragraphs (wp-includes/formatting.php), for classic posts:
    a blank line ends a paragraph, a single newline is a line break, block elements stay as
    they are and ``<pre>`` is left alone."""
    if not text.strip():
        return ""
    kept = []

    def keep(match):
        kept.append(match.group(0))
        return f"<pre wp-pre-tag-{len(kept) - 1}></pre>"

    text = re.sub(r"<pre[^>]*>.*?</pre>", keep, text + "\n", flags=re.DOTALL | re.IGNORECASE)
    text = re.sub(r"<br\s*/?>\s*<br\s*/?>", "\n\n", text)
    text = re.sub(rf"(<{BLOCK}[\s/>])", r"\n\n\1", text)
    text = re.sub(rf"(</{BLOCK}>)", r"\1\n\n", text)
    text = re.sub(r"<hr\s*?/?>", "<hr />\n\n", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"\n\n+", "\n\n", text)
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    text = "".join(f"<p>{p.strip(chr(10))}</p>\n" for p in paragraphs)
    text = re.sub(r"<p>\s*</p>", "", text)
    text = re.sub(r"<p>([^<]+)</(div|address|form)>", r"<p>\1</p></\2>", text)
    text = re.sub(rf"<p>\s*(</?{BLOCK}[^>]*>)\s*</p>", r"\1", text)
    text = re.sub(r"<p>(<li.+?)</p>", r"\1", text)
    text = re.sub(r"<p><blockquote([^>]*)>", r"<blockquote\1><p>", text, flags=re.IGNORECASE)
    text = text.replace("</blockquote></p>", "</p></blockquote>")
    text = re.sub(rf"<p>\s*(</?{BLOCK}[^>]*>)", r"\1", text)
    text = re.sub(rf"(</?{BLOCK}[^>]*>)\s*</p>", r"\1", text)
    text = re.sub(r"(?<!<br />)\s*\n", "<br />\n", text)
    text = re.sub(rf"(</?{BLOCK}[^>]*>)\s*<br />", r"\1", text)
    text = re.sub(r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)", r"\1", text)
    text = re.sub(r"\n</p>$", "</p>", text)
    return re.sub(r"<pre wp-pre-tag-(\d+)></pre>", lambda m: kept[int(m.group(1))], text)


def attributes(text):
    return {
        m[1].lower(): next(v for v in m.groups()[1:] if v is not None)
        for m in ATTRIBUTE.finditer(text or "")
    }


def video_link(url):
    """A known video site's address as a paragraph with a link (a body holds no players)."""
    label = html.escape(url)
    return f'\n\n<p><a href="{label}">{label}</a></p>\n\n'


def convert(content, attachment_url=lambda wp_id: "", new_address=lambda url: url):
    """``content`` as clean HTML. ``attachment_url(id)`` gives an attachment's new address (for
    ``[gallery ids=…]``), ``new_address(url)`` the new address of an old upload's URL."""
    unknown = set()

    def shortcode(match):
        name, attrs, inner = match["name"].lower(), attributes(match["attrs"]), match["inner"] or ""
        if name in {"caption", "wp_caption"}:
            image = re.search(r"<img[^>]*>", inner)
            caption = (
                attrs.get("caption")
                or re.sub(r"<a[^>]*>\s*<img[^>]*>\s*</a>|<img[^>]*>", "", inner).strip()
            )
            return f"<figure>{image[0] if image else ''}<figcaption>{caption}</figcaption></figure>"
        if name == "gallery":
            ids = [i for i in re.split(r"[,\s]+", attrs.get("ids", "")) if i.isdigit()]
            images = [attachment_url(int(i)) for i in ids]
            return "".join(
                f'<figure><img src="{html.escape(u)}" alt=""></figure>' for u in images if u
            )
        if name == "embed":
            return video_link(inner.strip())
        if name in {"video", "audio"}:
            source = attrs.get("src") or next(
                (
                    v
                    for k, v in attrs.items()
                    if k in {"mp4", "webm", "m4v", "ogv", "mp3", "ogg", "wav", "m4a"}
                ),
                "",
            )
            return video_link(source) if source else ""
        unknown.add(name)
        return match[0]

    blocks = "<!-- wp:" in content
    text = BLOCK_COMMENT.sub("", content)
    text = SHORTCODE.sub(shortcode, text)
    text = VIDEO_LINE.sub(lambda m: video_link(m[1]) if parse_video_url(m[1]) else m[0], text)
    if not blocks:
        text = wpautop(text)
    images = re.findall(r"""<img[^>]+src=["']([^"']+)["']""", text)
    text = re.sub(
        r"""(<(?:img|a)\b[^>]*?\s(?:src|href)=["'])([^"']+)(["'])""",
        lambda m: m[1] + html.escape(new_address(html.unescape(m[2]))) + m[3],
        text,
    )
    return Converted(sanitize_html(text.strip()), unknown, images)

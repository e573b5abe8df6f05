"""WordPress exports (WXR) written for the tests, the way WordPress's export.php writes them:
RSS 2.0 with the wp/content/excerpt/dc namespaces, CDATA text, percent-encoded slugs."""

import contextlib
import time
from dataclasses import dataclass, field
from urllib.parse import quote


def cdata(text):
    return "<![CDATA[" + str(text).replace("]]>", "]]]]><![CDATA[>") + "]]>"


@dataclass
class Post:
    wp_id: int
    title: str
    content: str = ""
    slug: str = ""
    status: str = "publish"
    post_type: str = "post"
    date_gmt: str = "2019-05-14 08:30:00"
    excerpt: str = ""
    creator: str = "sara"
    categories: list = field(default_factory=list)  # slugs
    tags: list = field(default_factory=list)  # (slug, name)
    comments: list = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    attachment_url: str = ""
    sticky: bool = False
    link: str = ""

    def xml(self, site):
        slug = quote(self.slug or self.title.lower().replace(" ", "-"), safe="-")
        link = self.link or f"{site}/{self.date_gmt[:4]}/{self.date_gmt[5:7]}/{slug}/"
        guid = f"{site}/?{'page_id' if self.post_type == 'page' else 'p'}={self.wp_id}"
        parts = [
            f"<title>{cdata(self.title)}</title>",
            f"<link>{link}</link>",
            "<pubDate>Tue, 14 May 2019 08:30:00 +0000</pubDate>",
            f"<dc:creator>{cdata(self.creator)}</dc:creator>",
            f'<guid isPermaLink="false">{guid}</guid>',
            "<description></description>",
            f"<content:encoded>{cdata(self.content)}</content:encoded>",
            f"<excerpt:encoded>{cdata(self.excerpt)}</excerpt:encoded>",
            f"<wp:post_id>{self.wp_id}</wp:post_id>",
            f"<wp:post_date>{cdata(self.date_gmt)}</wp:post_date>",
            f"<wp:post_date_gmt>{cdata(self.date_gmt)}</wp:post_date_gmt>",
            "<wp:comment_status><![CDATA[open]]></wp:comment_status>",
            f"<wp:post_name>{cdata(slug)}</wp:post_name>",
            f"<wp:status>{cdata(self.status)}</wp:status>",
            "<wp:post_parent>0</wp:post_parent>",
            f"<wp:post_type>{cdata(self.post_type)}</wp:post_type>",
            f"<wp:is_sticky>{int(self.sticky)}</wp:is_sticky>",
        ]
        if self.attachment_url:
            parts.append(f"<wp:attachment_url>{cdata(self.attachment_url)}</wp:attachment_url>")
        for category in self.categories:
            name = cdata(category.title())
            parts.append(
                f'<category domain="category" nicename="{quote(category)}">{name}</category>'
            )
        for tag_slug, name in self.tags:
            parts.append(
                f'<category domain="post_tag" nicename="{quote(tag_slug)}">{cdata(name)}</category>'
            )
        for key, value in self.meta.items():
            parts.append(
                f"<wp:postmeta><wp:meta_key>{cdata(key)}</wp:meta_key>"
                f"<wp:meta_value>{cdata(value)}</wp:meta_value></wp:postmeta>"
            )
        parts.extend(comment.xml() for comment in self.comments)
        return "<item>" + "\n".join(parts) + "</item>"


@dataclass
class WpComment:
    wp_id: int
    content: str
    approved: str = "1"
    parent: int = 0
    kind: str = ""
    author: str = "A reader"
    email: str = "reader@example.org"
    url: str = "https://reader.example.org/"
    date_gmt: str = "2019-05-15 10:00:00"

    def xml(self):
        return (
            f"<wp:comment><wp:comment_id>{self.wp_id}</wp:comment_id>"
            f"<wp:comment_author>{cdata(self.author)}</wp:comment_author>"
            f"<wp:comment_author_email>{cdata(self.email)}</wp:comment_author_email>"
            f"<wp:comment_author_url>{self.url}</wp:comment_author_url>"
            "<wp:comment_author_IP>192.0.2.7</wp:comment_author_IP>"
            f"<wp:comment_date>{cdata(self.date_gmt)}</wp:comment_date>"
            f"<wp:comment_date_gmt>{cdata(self.date_gmt)}</wp:comment_date_gmt>"
            f"<wp:comment_content>{cdata(self.content)}</wp:comment_content>"
            f"<wp:comment_approved>{cdata(self.approved)}</wp:comment_approved>"
            f"<wp:comment_type>{cdata(self.kind)}</wp:comment_type>"
            f"<wp:comment_parent>{self.parent}</wp:comment_parent>"
            "<wp:comment_user_id>0</wp:comment_user_id></wp:comment>"
        )


def export(items, categories=(), version="1.2", scheme="http", site="http://old.example.org"):
    """A whole export: ``categories`` are ``(slug, name, parent)``."""
    wp = f"{scheme}://wordpress.org/export/{version}/"
    terms = "".join(
        f"<wp:category><wp:term_id>{n}</wp:term_id><wp:category_nicename>{quote(slug)}"
        f"</wp:category_nicename><wp:category_parent>{parent}</wp:category_parent>"
        f"<wp:cat_name>{cdata(name)}</wp:cat_name></wp:category>"
        for n, (slug, name, parent) in enumerate(categories, 1)
    )
    body = "\n".join(item.xml(site) for item in items)
    return f"""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0"
	xmlns:excerpt="{wp}excerpt/"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:wp="{wp}"
>
<channel>
	<title>Old site</title>
	<link>{site}</link>
	<description>An invented WordPress site</description>
	<language>en-US</language>
	<wp:wxr_version>{version}</wp:wxr_version>
	<wp:base_site_url>{site}</wp:base_site_url>
	<wp:base_blog_url>{site}</wp:base_blog_url>
	<wp:author><wp:author_id>1</wp:author_id><wp:author_login>{cdata("sara")}</wp:author_login>
	<wp:author_display_name>{cdata("Sara Karimi")}</wp:author_display_name></wp:author>
	{terms}
{body}
</channel>
</rss>
"""


class OldSite:
    """The old WordPress site for ``--fetch-attachments``: an HTTP server on a free loopback
    port answering ``files`` (``{path: (bytes, send the length?)}``), 404 otherwise, and noting
    every path it was asked for in ``asked``."""

    def __init__(self):
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        files, asked, redirects, sent = {}, [], {}, {}

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                asked.append(self.path)
                if self.path in redirects:
                    self.send_response(302)
                    self.send_header("Location", redirects[self.path])
                    self.end_headers()
                    return
                if self.path not in files:
                    self.send_error(404)
                    return
                body, with_length = files[self.path]
                if with_length == "trickle":  # a byte every 0.2 s, however long that takes
                    self.send_response(200)
                    self.end_headers()
                    sent[self.path] = 0
                    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                        for byte in body:
                            self.wfile.write(bytes([byte]))
                            self.wfile.flush()
                            sent[self.path] += 1
                            time.sleep(0.2)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                if with_length:  # True, or a length to claim (a cut-off answer)
                    length = len(body) if with_length is True else with_length
                    self.send_header("Content-Length", str(length))
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(body)  # unless the importer stopped reading: too large

            def log_message(self, *args):
                pass

        self.files, self.asked, self.redirects, self.sent = files, asked, redirects, sent
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def serve(self, path, body, with_length=True):
        """``with_length``: True, a length to claim (a cut-off answer), False, or "trickle"."""
        self.files[path] = (body, with_length)

    def redirect(self, path, location):
        self.redirects[path] = location

    def close(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()

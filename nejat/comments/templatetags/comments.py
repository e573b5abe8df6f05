import re

from django import template
from django.contrib.contenttypes.models import ContentType
from django.utils.html import urlize
from django.utils.safestring import mark_safe

from nejat.comments.forms import CommentForm
from nejat.comments.models import Comment
from nejat.comments.moderation import comments_tag
from nejat.publishing.cache_tags import shows

register = template.Library()


@register.inclusion_tag("comments/section.html", takes_context=True)
def comments_section(context, item):
    """Approved comments of ``item`` (one query), oldest first, replies under their comment."""
    shows(comments_tag(type(item), item.pk))  # (nejat.publishing.cache_tags)
    comments = list(Comment.objects.approved().for_item(item))
    replies = {}
    for comment in comments:
        if comment.parent_id:
            replies.setdefault(comment.parent_id, []).append(comment)
    threads = [(c, replies.get(c.pk, [])) for c in comments if not c.parent_id]
    request = context["request"]
    reply_id = request.GET.get("reply", "")
    reply_to = next((c for c, _r in threads if str(c.pk) == reply_id), None)
    initial = {"parent": reply_to.pk} if reply_to else {}
    return {
        "item": item,
        "threads": threads,
        "count": sum(1 + len(r) for _c, r in threads),
        "form": CommentForm(item=item, initial=initial) if item.allow_comments else None,
        "reply_to": reply_to,
        "content_type_id": ContentType.objects.get_for_model(item).pk,
        "posted": request.GET.get("comment"),
        "request": request,
        "site_name": context.get("site_name", ""),  # the badge of the site's own replies
    }


@register.filter(is_safe=True, needs_autoescape=True)
def comment_html(text, autoescape=True):
    """A reader's plain text: escaped, links as rel="nofollow ugc" links, line breaks kept."""
    html = urlize(text, nofollow=True, autoescape=True)
    html = re.sub(r'rel="nofollow"', 'rel="nofollow ugc noopener"', html)
    return mark_safe(html.replace("\n", "<br>"))

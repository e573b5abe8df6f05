from django.contrib.contenttypes.models import ContentType
from django.http import Http404, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.template import loader
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nejat.comments.forms import CommentForm
from nejat.comments.models import Comment, Commentable
from nejat.comments.moderation import post_comment
from nejat.publishing import Publishable
from nejat.security.antispam.forms import client_ip, from_this_site_only


def commentable_item(content_type_id, object_id):
    """The public item of this edition that a comment is posted to, or 404."""
    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
    except ContentType.DoesNotExist:
        raise Http404("Unknown content type") from None
    if not (model and issubclass(model, Commentable) and issubclass(model, Publishable)):
        raise Http404("This content type takes no comments")
    item = model.objects.public().filter(pk=object_id).first()
    if item is None:
        raise Http404("No such published item in this edition")
    return item


@from_this_site_only
@require_POST
def post(request, content_type_id, object_id):
    item = commentable_item(content_type_id, object_id)
    if not item.allow_comments:
        return HttpResponseForbidden(
            loader.render_to_string("comments/closed.html", {"item": item}, request)
        )
    form = CommentForm(request.POST, item=item)
    if not form.is_valid():
        return render(request, "comments/error.html", {"form": form, "item": item}, status=400)
    if form.is_rate_limited(Comment.objects.filter(ip_address=client_ip(request) or None)):
        form.add_error(None, _("You have sent several comments in a short time. Please wait."))
        return render(request, "comments/error.html", {"form": form, "item": item}, status=429)
    comment = post_comment(form, request, item)
    state = "approved" if comment.status == Comment.Status.APPROVED else "pending"
    return redirect(f"{item.get_absolute_url()}?{urlencode({'comment': state})}#comments")

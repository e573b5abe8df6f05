"""Posting and moderating comments, as explicit steps the views and the admin call.

The comment is saved before anything else can fail; moderators are emailed after the commit, and
a failing mail server is logged, never raised. Every status change refreshes the stored count of
approved comments of the items concerned, so lists show counts without a query per entry.
"""

import logging
import smtplib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.mail import BadHeaderError, send_mail
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from nejat.comments.models import Comment
from nejat.publishing.public_changes import content_changed_on_commit
from nejat.security.antispam.forms import submission_fields

logger = logging.getLogger(__name__)


def pending_count(request):
    """How many comments wait for moderation, counted once per request: the admin's menu badge
    and the admin home both show it."""
    if not hasattr(request, "_pending_comments"):
        request._pending_comments = Comment.objects.filter(status=Comment.Status.PENDING).count()
    return request._pending_comments


def post_comment(form, request, item):
    data = form.cleaned_data
    verdict = form.assess(request, text=data["text"], email=data["email"])
    if verdict.is_spam:
        status = Comment.Status.SPAM
    elif (
        settings.COMMENTS["AUTO_APPROVE_KNOWN"]
        and Comment.objects.approved().filter(email__iexact=data["email"]).exists()
    ):
        status = Comment.Status.APPROVED  # as WordPress does for a known commenter
    else:
        status = Comment.Status.PENDING
    comment = Comment.objects.create(
        content_type=ContentType.objects.get_for_model(item),
        object_id=item.pk,
        parent=data.get("parent"),
        name=data["name"],
        email=data["email"],
        text=data["text"],
        status=status,
        **submission_fields(request, verdict),
    )
    # (An approved comment's count follows its save: comment_saved_or_deleted.)
    if status == Comment.Status.PENDING:
        # Mail clients need whole addresses: made from this request (its host and scheme).
        links = {
            "item": request.build_absolute_uri(item.get_absolute_url()),
            "queue": request.build_absolute_uri(
                reverse("admin:comments_comment_changelist")  # opens on the pending ones
            ),
        }
        notify_moderators(comment, item, links)  # a mail job, committed with the comment
    return comment


def moderate(comments, status, user=None):
    """Set ``status`` on a queryset of comments and refresh the counts of their items."""
    affected = list(comments.only("pk", "content_type_id", "object_id"))
    comments.update(status=status, moderated_at=timezone.now(), moderated_by=user)
    refresh_comment_counts(affected)
    return len(affected)


def staff_signature(user, code):
    """The name a reply of the site is signed with: the staff member's full name, else "The
    editors" in the edition's language; never a login name, which is not for readers."""
    with translation.override(code):
        return user.get_full_name() or str(_("The editors"))


def reply_as_staff(comment, user, text):
    """The site answers a reader: an approved reply in the comment's thread (replies are one
    level deep), marked as staff's, signed with the staff member's name. The comments it answers
    are approved with it, or readers would see an answer to nothing."""
    thread = comment.parent or comment
    moderate(Comment.objects.filter(pk__in={comment.pk, thread.pk}), Comment.Status.APPROVED, user)
    return Comment.objects.create(
        content_type_id=comment.content_type_id,
        object_id=comment.object_id,
        parent=thread,
        name=staff_signature(user, comment.language),
        email=user.email,
        text=text,
        language=comment.language,
        status=Comment.Status.APPROVED,
        staff_author=user,
        moderated_by=user,
        moderated_at=timezone.now(),
    )


def comment_saved_or_deleted(sender, instance, raw=False, **kwargs):
    """A comment saved or deleted from any path (code, the shell, an import) keeps the stored
    count of its item right. (``moderate()`` changes many with ``update()`` and refreshes them
    itself.) A new comment waiting for moderation shows nowhere: no page is forgotten."""
    if not raw:
        unseen = kwargs.get("created") and instance.status != Comment.Status.APPROVED
        refresh_comment_counts([instance], shown=not unseen)


def refresh_comment_counts(comments, shown=True):
    """Store the number of approved comments on each item the given comments belong to, and
    forget the pages that show those items' comments (``comments_tag``) unless the change is
    ``shown`` nowhere. A count that changes forgets the pages that show the item (its
    ``update()`` says so)."""
    by_type, tags = {}, []
    for comment in comments:
        by_type.setdefault(comment.content_type_id, set()).add(comment.object_id)
    for content_type_id, object_ids in by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        counts = dict(
            Comment.objects.filter(content_type_id=content_type_id, object_id__in=object_ids)
            .values_list("object_id")
            .annotate(n=Count("pk", filter=Q(status=Comment.Status.APPROVED)))
        )
        for object_id in object_ids:
            count = counts.get(object_id, 0)
            model.objects.filter(pk=object_id).exclude(comment_count=count).update(
                comment_count=count
            )
            tags.append(comments_tag(model, object_id))
    if shown:
        content_changed_on_commit(*tags)


def comments_tag(model, pk):
    """The tag of the pages that show the comments of ``model`` row ``pk``."""
    return f"comments:{model._meta.label_lower}:{pk}"


def moderator_addresses():
    users = get_user_model().objects.filter(is_active=True, groups__name="Moderators", email__gt="")
    return sorted(set(users.values_list("email", flat=True)) | set(settings.COMMENTS["NOTIFY"]))


def notify_moderators(comment, item, links):
    """E-mail the moderators; ``links`` holds the absolute "item" and "queue" addresses."""
    recipients = moderator_addresses()
    if not recipients:
        return False
    try:
        send_mail(
            subject=f"[Comment] {str(item)[:80]}",
            message=(
                f"{comment.name} <{comment.email}> commented on {item}:\n{links['item']}\n\n"
                f"{comment.text}\n\nModerate: {links['queue']}\n"
            ),
            from_email=None,
            recipient_list=recipients,
        )
    except (smtplib.SMTPException, OSError, BadHeaderError):
        logger.exception("Comment %s kept, but emailing the moderators failed", comment.pk)
        return False
    return True


def item_deleted(sender, instance, **kwargs):
    """An item deleted for good (emptied from the trash) takes its comments with it: they point
    at it by content type and id, which no foreign key cascades."""
    from nejat.comments.models import Comment, Commentable

    if isinstance(instance, Commentable):
        Comment.objects.for_item(instance).delete()

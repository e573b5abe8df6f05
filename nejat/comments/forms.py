from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from nejat.comments.models import Comment, strip_bidi_controls
from nejat.security.antispam.forms import SpamDefenceForm


class CommentForm(SpamDefenceForm):
    name = forms.CharField(label=_("Name"), max_length=80)
    email = forms.EmailField(label=_("Email"), max_length=254, help_text=_("Never published."))
    text = forms.CharField(
        label=_("Comment"),
        max_length=settings.COMMENTS["MAX_LENGTH"],
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)

    field_order = ["name", "email", "text"]

    def __init__(self, *args, item=None, **kwargs):
        self.item = item
        super().__init__(*args, **kwargs)

    def clean_name(self):
        name = " ".join(strip_bidi_controls(self.cleaned_data["name"]).split())
        if not name:
            raise forms.ValidationError(
                self.fields["name"].error_messages["required"], code="required"
            )
        return name

    def clean_text(self):
        text = strip_bidi_controls(self.cleaned_data["text"]).strip()
        if not text:
            raise forms.ValidationError(
                self.fields["text"].error_messages["required"], code="required"
            )
        return text

    def clean_parent(self):
        """Replies go one level deep: a reply to a reply joins the first comment's thread."""
        parent_id = self.cleaned_data.get("parent")
        if not parent_id:
            return None
        parent = (
            Comment.objects.approved()
            .for_item(self.item)
            .filter(pk=parent_id)
            .select_related("parent")
            .first()
        )
        if parent is None:
            raise forms.ValidationError(
                _("The comment you are replying to is not available."), code="parent"
            )
        return parent.parent or parent

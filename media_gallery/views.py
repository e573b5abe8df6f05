from django.db.models import Prefetch
from django.http import Http404
from django.views.generic import DetailView

from media_gallery.models import Cartoon, Gallery, NewsPic, Photo, Video
from nejat.delivery.views import PublicDetailMixin, PublicListView
from nejat.editions import current_edition


class MediaListView(PublicListView):
    """A grid of pictures."""

    template_name = "media_gallery/media_list.html"
    section_title = ""

    def get_context_data(self, **kwargs):
        return super().get_context_data(section_title=self.section_title, **kwargs)


class GalleryView(PublicDetailMixin, DetailView):
    model = Gallery
    context_object_name = "gallery"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .prefetch_related(Prefetch("photos", queryset=Photo.objects.order_by("position", "pk")))
        )


class GalleryPhotoView(GalleryView):
    """One photo large, with plain previous/next links (keyboard and swipe use them too)."""

    template_name = "media_gallery/gallery_photo.html"

    def canonical_url(self):
        return self.object.photo_url(self.kwargs["number"], current_edition())

    def get_context_data(self, **kwargs):
        photos = list(self.object.photos.all())
        number = self.kwargs["number"]
        if not 1 <= number <= len(photos):
            raise Http404("No such photo in this gallery")
        code = current_edition()
        return super().get_context_data(
            photo=photos[number - 1],
            number=number,
            total=len(photos),
            previous_url=self.object.photo_url(number - 1, code) if number > 1 else "",
            next_url=self.object.photo_url(number + 1, code) if number < len(photos) else "",
            **kwargs,
        )


class VideoView(PublicDetailMixin, DetailView):
    model = Video
    context_object_name = "video"


class CartoonView(PublicDetailMixin, DetailView):
    model = Cartoon
    context_object_name = "cartoon"


class NewsPicView(PublicDetailMixin, DetailView):
    model = NewsPic
    context_object_name = "newspic"

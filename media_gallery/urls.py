from django.urls import path
from django.utils.translation import gettext_lazy as _

import nejat.delivery.converters  # noqa: F401 - registers <uslug:>
from media_gallery import models, views

app_name = "media_gallery"


def media_list(model, title):
    return views.MediaListView.as_view(model=model, section_title=title)


urlpatterns = [
    path("photos/", media_list(models.Gallery, _("Photo Gallery")), name="photos"),
    path("photos/<int:pk>/", views.GalleryView.as_view(), name="gallery"),
    path("photos/<int:pk>/<uslug:slug>/", views.GalleryView.as_view(), name="gallery"),
    # "-" stands where an edition has no slug (a slug is never "-"), so photo 2 of gallery 5
    # is never read as gallery 5 with the slug "2".
    path("photos/<int:pk>/-/<int:number>/", views.GalleryPhotoView.as_view(), name="gallery_photo"),
    path(
        "photos/<int:pk>/<uslug:slug>/<int:number>/",
        views.GalleryPhotoView.as_view(),
        name="gallery_photo",
    ),
    path("videos/", media_list(models.Video, _("Videos")), name="videos"),
    path("videos/<int:pk>/", views.VideoView.as_view(), name="video"),
    path("videos/<int:pk>/<uslug:slug>/", views.VideoView.as_view(), name="video"),
    path("cartoons/", media_list(models.Cartoon, _("Cartoons")), name="cartoons"),
    path("cartoons/<int:pk>/", views.CartoonView.as_view(), name="cartoon"),
    path("cartoons/<int:pk>/<uslug:slug>/", views.CartoonView.as_view(), name="cartoon"),
    path("newspics/", media_list(models.NewsPic, _("NewsPics")), name="newspics"),
    path("newspics/<int:pk>/", views.NewsPicView.as_view(), name="newspic"),
    path("newspics/<int:pk>/<uslug:slug>/", views.NewsPicView.as_view(), name="newspic"),
]

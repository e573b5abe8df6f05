from django.urls import path

from nejat.views import SectionView

app_name = "media_gallery"
urlpatterns = [
    path("photos/", SectionView.as_view(section="photos"), name="photos"),
    path("videos/", SectionView.as_view(section="videos"), name="videos"),
    path("cartoons/", SectionView.as_view(section="cartoons"), name="cartoons"),
    path("newspics/", SectionView.as_view(section="newspics"), name="newspics"),
]

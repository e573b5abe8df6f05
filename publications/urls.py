from django.urls import path

from nejat.views import SectionView

app_name = "publications"
urlpatterns = [
    path("books/", SectionView.as_view(section="books"), name="books"),
    path("newsletter/", SectionView.as_view(section="newsletter"), name="newsletter"),
    path("pars-brief/", SectionView.as_view(section="pars-brief"), name="pars_brief"),
]

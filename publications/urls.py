from django.urls import path

import nejat.delivery.converters  # noqa: F401 - registers <uslug:>
from publications import views

app_name = "publications"
urlpatterns = [
    path("books/", views.BookListView.as_view(), name="books"),
    path("books/<int:pk>/", views.BookDetailView.as_view(), name="book_detail"),
    path("books/<int:pk>/<uslug:slug>/", views.BookDetailView.as_view(), name="book_detail"),
    path("newsletter/", views.NewsletterListView.as_view(), name="newsletter"),
    path("newsletter/<int:pk>/", views.NewsletterDetailView.as_view(), name="newsletter_detail"),
    path(
        "newsletter/<int:pk>/<uslug:slug>/",
        views.NewsletterDetailView.as_view(),
        name="newsletter_detail",
    ),
    path("pars-brief/", views.BriefListView.as_view(), name="pars_brief"),
    path("pars-brief/<int:pk>/", views.BriefDetailView.as_view(), name="brief_detail"),
    path("pars-brief/<int:pk>/<uslug:slug>/", views.BriefDetailView.as_view(), name="brief_detail"),
]

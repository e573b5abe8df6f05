from django.urls import path

import nejat.converters  # noqa: F401 - registers <uslug:>
from articles import views

app_name = "articles"
urlpatterns = [
    path("articles/", views.ArticleListView.as_view(), name="list"),
    path("articles/category/<uslug:slug>/", views.CategoryView.as_view(), name="category"),
    path("articles/<int:pk>/", views.ArticleDetailView.as_view(), name="detail"),
    path("articles/<int:pk>/<uslug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("tags/<uslug:slug>/", views.TagView.as_view(), name="tag"),
]

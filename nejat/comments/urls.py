from django.urls import path

from nejat.comments import views

app_name = "comments"
urlpatterns = [
    path("comments/<int:content_type_id>/<int:object_id>/", views.post, name="post"),
]

from django.urls import path

import nejat.delivery.converters  # noqa: F401 - registers <uslug:>
from nejat.pages import views
from nejat.security.antispam.forms import from_this_site_only

app_name = "pages"
urlpatterns = [
    path("about/", views.about, name="about"),
    path("contact/", from_this_site_only(views.ContactView.as_view()), name="contact"),
    path("contact/thanks/", views.ContactThanksView.as_view(), name="contact_thanks"),
    path("pages/<int:pk>/", views.PageDetailView.as_view(), name="detail"),
    path("pages/<int:pk>/<uslug:slug>/", views.PageDetailView.as_view(), name="detail"),
]

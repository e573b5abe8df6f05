from django.urls import path

from nejat.security.antispam.forms import from_this_site_only
from subscriptions import views

app_name = "subscriptions"
urlpatterns = [
    path("", from_this_site_only(views.SubscribeView.as_view()), name="subscribe"),
    path("check-your-inbox/", views.CheckInboxView.as_view(), name="check_inbox"),
    path("confirm/<str:token>/", from_this_site_only(views.confirm), name="confirm"),
    path("yours/<str:token>/", from_this_site_only(views.manage), name="manage"),
    path("leave/<str:token>/", views.unsubscribe, name="unsubscribe"),
]

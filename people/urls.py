from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("profil/", views.profile, name="profile"),
    path("profil/sletting/", views.deletion_request, name="deletion_request"),
    path("sprak/", views.set_language, name="set_language"),
]

from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("profil/", views.profile, name="profile"),
    path("profil/sletting/", views.deletion_request, name="deletion_request"),
    path("sprak/", views.set_language, name="set_language"),
    path("tofaktor/", views.mfa_required, name="mfa_required"),
    path("mine-data/", views.my_data, name="my_data"),
    path("mine-data/status/", views.my_data_status, name="my_data_status"),
    path("mine-data/<uuid:public_id>/last-ned/", views.my_data_download, name="my_data_download"),
]

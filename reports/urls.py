from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("leder/", views.dashboard, name="dashboard"),
    path("leder/person/<int:person_id>/", views.person, name="person"),
    path("leder/eksport.<str:file_format>", views.export, name="export"),
    path("leder/eksport/<uuid:public_id>/", views.export_status, name="export_status"),
    path("leder/eksport/<uuid:public_id>/fil/", views.export_download, name="export_download"),
]

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("leder/", views.dashboard, name="dashboard"),
    path("leder/person/<int:person_id>/", views.person, name="person"),
    path("leder/eksport.<str:file_format>", views.export, name="export"),
]

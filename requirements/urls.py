from django.urls import path

from . import views

app_name = "requirements"

urlpatterns = [
    path("leder/tildel/", views.assign, name="assign"),
]

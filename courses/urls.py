from django.urls import path

from . import views

app_name = "courses"

urlpatterns = [
    path("mine-kurs/", views.my_courses, name="my_courses"),
    path("mine-kurs/<int:course_id>/fortsett/", views.resume_course, name="resume"),
    path("laering/kurs/<int:course_id>/meld-pa/", views.enrol, name="enrol"),
    path("laering/kurs/<int:course_id>/ta-pa-nytt/", views.restart_course, name="restart"),
    path("laering/modul/<int:module_id>/fullfor/", views.complete_module, name="complete_module"),
    path("laering/modul/<int:module_id>/status/", views.module_state, name="module_state"),
]

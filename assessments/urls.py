from django.urls import path

from . import views

app_name = "assessments"

urlpatterns = [
    path("laering/modul/<int:module_id>/test/<str:block_id>/start/", views.quiz_start, name="quiz_start"),
    path("laering/test/<uuid:public_id>/", views.attempt, name="attempt"),
    path("laering/test/<uuid:public_id>/resultat/", views.attempt_result, name="attempt_result"),
    path(
        "laering/modul/<int:module_id>/refleksjon/<str:block_id>/",
        views.reflection_save,
        name="reflection_save",
    ),
    path("laering/kurs/<int:course_id>/evaluering/", views.evaluation, name="evaluation"),
    path(
        "laering/kurs/<int:course_id>/egenvurdering/<str:phase>/",
        views.self_assessment,
        name="self_assessment",
    ),
    path("mine-refleksjoner/", views.my_reflections, name="my_reflections"),
    path("mine-refleksjoner/last-ned/", views.reflections_download, name="reflections_download"),
    path("mine-refleksjoner/<int:reflection_id>/", views.reflection_detail, name="reflection_detail"),
    path("mine-refleksjoner/<int:reflection_id>/del/", views.reflection_share, name="reflection_share"),
]

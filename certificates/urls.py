from django.urls import path

from . import views

app_name = "certificates"

urlpatterns = [
    path("mine-kursbevis/", views.my_certificates, name="mine"),
    path("mine-kursbevis/<uuid:public_id>/", views.certificate_detail, name="detail"),
    path("mine-kursbevis/<uuid:public_id>/pdf/", views.certificate_pdf, name="pdf"),
    path("verifiser/", views.verify, name="verify"),
    path("verifiser/<str:code>/", views.verify, name="verify_code"),
]

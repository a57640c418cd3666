from django.urls import path, re_path

from . import frame_views, views

app_name = "h5p"

urlpatterns = [
    path("h5p/spill/<int:module_id>/<str:block_id>/", views.player, name="player"),
    path("h5p/xapi/<int:module_id>/<str:block_id>/", views.xapi, name="xapi"),
    path("h5p/vist/<int:module_id>/<str:block_id>/", frame_views.rendered, name="rendered"),
    path("h5p/feil/<int:module_id>/<str:block_id>/", frame_views.failure, name="failure"),
    path("h5p/filer/<str:token>/tilstand/", views.state, name="state"),
    path("h5p/filer/<str:token>/tilstand/<str:data_type>/<str:sub_content_id>", views.state),
    re_path(r"^h5p/innhold/(?P<token>[^/]+)/(?P<path>.*)$", views.content_files, name="content_files"),
    re_path(
        r"^h5p/bibliotek/(?P<fingerprint>[0-9a-f]{16})/samlet/(?P<content_uuid>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.(?P<kind>js|css)$",
        views.library_bundle,
        name="library_bundle",
    ),
    re_path(
        r"^h5p/bibliotek/(?P<fingerprint>[0-9a-f]{16})/(?P<path>.*)$",
        views.library_files,
        name="library_files",
    ),
]

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo loader (`manage.py load_demo`) and its data: the top layer, it may use every app.

    A site that installs the course apps for real leaves this app out.
    """

    name = "demo"
    verbose_name = _("Demoinnhold")

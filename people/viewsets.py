from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages
from wagtail.users.views.bulk_actions.delete import DeleteBulkAction
from wagtail.users.views.users import DeleteView as WagtailUserDeleteView
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from .admin_forms import AdminUserCreationForm, AdminUserEditForm


class AnonymisingUserDeleteView(WagtailUserDeleteView):
    """«Slett» on a person anonymises them (people.services.user_anonymise) instead of deleting the row.

    The row stays, so certificates (which protect it), enrolments and scores still count, but the
    person's name, e-mail, texts and sign-in methods are gone. Deleting outright would either be
    refused (a certificate holder) or take the statistics with it.
    """

    success_message = gettext_lazy("%(object)s er anonymisert.")

    def get_usage_url(self):
        return None  # nothing blocks anonymising, so the "used in" summary would only mislead

    def confirmation_message(self):
        return _(
            "Personen anonymiseres: navn, e-postadresse, profil, passord, refleksjoner og andre tekster "
            "de har skrevet slettes, og de kan ikke logge inn. Påmeldinger, fullføringer og poeng blir "
            "værende uten navn i statistikken. Dette kan ikke angres."
        )

    def form_valid(self, form):
        from .services import user_anonymise

        success_url = self.get_success_url()
        user_anonymise(user=self.object, by=self.request.user)
        self.object.refresh_from_db()
        messages.success(self.request, _("%(object)s er anonymisert.") % {"object": self.object.email})
        hook_response = self.run_after_hook()
        if hook_response is not None:
            return hook_response
        return HttpResponseRedirect(success_url)


class AnonymisingDeleteBulkAction(DeleteBulkAction):
    """The user listing's bulk «Slett», anonymising each person like the single delete view."""

    template_name = "wagtailusers/bulk_actions/confirm_bulk_anonymise.html"

    def prepare_action(self, objects, objects_without_access):
        return None  # nothing protects a person from being anonymised

    @classmethod
    def execute_action(cls, objects, model=None, user=None, **kwargs):
        from .services import user_anonymise

        for person in objects:
            user_anonymise(user=person, by=user)
        return len(objects), 0

    def get_execution_context(self):
        return {**super().get_execution_context(), "user": self.request.user}

    def get_success_message(self, num_parent_objects, num_child_objects):
        return _("%(count)d personer er anonymisert.") % {"count": num_parent_objects}


class UserViewSet(WagtailUserViewSet):
    """Wagtail's user administration, editing the platform's profile fields too."""

    delete_view_class = AnonymisingUserDeleteView
    delete_template_name = "wagtailusers/users/confirm_anonymise.html"

    def get_form_class(self, for_update=False):
        return AdminUserEditForm if for_update else AdminUserCreationForm

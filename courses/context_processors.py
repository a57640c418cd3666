from django.utils.functional import SimpleLazyObject


def course_catalogue(request):
    """The catalogue page for the site navigation, looked up only when a template uses it."""

    def first_catalogue():
        from .models import CourseCatalogPage

        return CourseCatalogPage.objects.live().order_by("path").first()

    return {"course_catalogue": SimpleLazyObject(first_catalogue)}

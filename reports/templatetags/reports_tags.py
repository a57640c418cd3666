from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """mapping[key] in a template (labels looked up by a row's value)."""
    return mapping.get(key, key)

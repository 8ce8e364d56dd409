from rest_framework.permissions import DjangoModelPermissionsOrAnonReadOnly


class EditorsWrite(DjangoModelPermissionsOrAnonReadOnly):
    """Anyone reads (what they may see); writing needs the model permissions the
    Editors group has (a superuser has them all). Retracting is a change."""

    perms_map = {
        **DjangoModelPermissionsOrAnonReadOnly.perms_map,
        "POST": ["%(app_label)s.add_%(model_name)s", "%(app_label)s.change_%(model_name)s"],
    }

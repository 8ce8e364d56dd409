"""Make sure someone can log in to /admin/ on a new installation."""

import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the superuser 'admin' with a random password when there is no superuser."

    def handle(self, *args, **options):
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write("A superuser exists; no account created.")
            return
        if User.objects.filter(username="admin").exists():
            self.stderr.write(
                "There is no superuser, but a user 'admin' exists; left unchanged. "
                "Create one with `manage.py createsuperuser`."
            )
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser("admin", password=password)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created superuser 'admin' with password: {password}\n"
                "This password is shown only now; change it in /admin/."
            )
        )

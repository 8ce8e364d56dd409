"""The editor's paths, as an editor takes them: the admin's forms read from the page
and sent back with the changes made (inlines, actions, deletes, restores), and the
API with the editor's session."""

import json

import lxml.html
from reversion.models import Version

ADMIN = "/admin/events/"


class Desk:
    def __init__(self, client):
        self.client = client

    def chief(self):
        """The same desk as the editor-in-chief (a superuser): deletes places, people, tags."""
        from django.contrib.auth.models import User

        from .client import Client

        chief = User.objects.filter(username="chefin").first() or User.objects.create_superuser(
            "chefin"
        )
        client = Client()
        client.force_login(chief)
        return Desk(client)

    # -- the admin -------------------------------------------------------------------

    def form(self, path):
        """The values of the admin form on `path`, as the browser would send them."""
        response = self.client.get(path)
        assert response.status_code == 200, path
        page = lxml.html.fromstring(response.content.decode())
        form = page.xpath("//form[contains(@id, '_form')]")[0]
        data = {}
        for name, value in form.form_values():
            if "__prefix__" not in name:
                data.setdefault(name, []).append(value)
        return data

    def submit(self, path, data):
        response = self.client.post(path, data | {"_save": "Sichern"})
        assert response.status_code == 302, self.errors(response)
        return response

    @staticmethod
    def errors(response):
        page = lxml.html.fromstring(response.content.decode())
        return [
            " ".join(e.text_content().split())
            for e in page.xpath("//*[contains(@class, 'errorlist')]")
        ]

    def change(self, model, pk, **fields):
        """Open an object's change form, change `fields`, save."""
        path = f"{ADMIN}{model}/{pk}/change/"
        data = self.form(path)
        data.update({name: [str(v)] for name, v in fields.items()})
        return self.submit(path, data)

    def add(self, model, **fields):
        path = f"{ADMIN}{model}/add/"
        data = self.form(path)
        data.update({name: [str(v)] for name, v in fields.items()})
        return self.submit(path, data)

    def add_inline(self, event_pk, prefix, **fields):
        """Save an event's form with one more row in an inline."""
        path = f"{ADMIN}event/{event_pk}/change/"
        data = self.form(path)
        n = int(data[f"{prefix}-TOTAL_FORMS"][0])
        data[f"{prefix}-TOTAL_FORMS"] = [str(n + 1)]
        data |= {f"{prefix}-{n}-{name}": [str(v)] for name, v in fields.items()}
        return self.submit(path, data)

    def edit_inline(self, event_pk, prefix, row, delete=False, also=(), **fields):
        """Save an event's form with row `row` of an inline changed (or deleted), and
        any other fields of the form named in `also`."""
        path = f"{ADMIN}event/{event_pk}/change/"
        data = self.form(path)
        data |= {f"{prefix}-{row}-{name}": [str(v)] for name, v in fields.items()}
        data |= {name: [str(v)] for name, v in dict(also).items()}
        if delete:
            data[f"{prefix}-{row}-DELETE"] = ["on"]
        return self.submit(path, data)

    def delete(self, model, pk):
        response = self.client.post(f"{ADMIN}{model}/{pk}/delete/", {"post": "yes"})
        assert response.status_code == 302, self.errors(response)

    def action(self, model, action, pks, **extra):
        data = {"action": action, "_selected_action": [str(pk) for pk in pks], **extra}
        response = self.client.post(f"{ADMIN}{model}/", data)
        assert response.status_code == 302, self.errors(response)

    def restore(self, event_pk, version):
        """Open an old version from the event's history and save it."""
        path = f"{ADMIN}event/{event_pk}/history/{version.pk}/"
        return self.submit(path, self.form(path))

    @staticmethod
    def versions(obj):
        return list(Version.objects.get_for_object(obj).order_by("pk"))

    # -- the API ---------------------------------------------------------------------

    def api(self, method, path, body=None):
        response = getattr(self.client, method)(
            "/api/v1/" + path, json.dumps(body or {}), content_type="application/json"
        )
        assert response.status_code < 300, response.content
        return response.json()

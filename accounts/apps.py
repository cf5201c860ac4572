from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Officials and departments")

    def ready(self):
        from accounts.services import role_groups_sync

        # Permissions exist only after migrate has run, so the role groups are synced then.
        post_migrate.connect(lambda **kwargs: role_groups_sync(), weak=False, dispatch_uid="role_groups_sync")

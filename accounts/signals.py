"""Keep a user's role groups, admin access and sessions in step with their account.

Groups carry the model permissions of each role (created by a data migration); they are
derived from Membership, so they are kept here rather than edited by hand.
"""

from django.contrib.auth.models import Group
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Membership, User
from .roles import STAFF_ROLES, Role
from .scoping import VISIBLE_IDS
from .sessions import end_sessions_of


def sync_role_groups(user) -> None:
    roles = set(user.memberships.values_list("role", flat=True))
    role_groups = Group.objects.filter(name__in=Role.values)
    user.groups.remove(*role_groups.exclude(name__in=roles))
    user.groups.add(*role_groups.filter(name__in=roles))
    is_staff = user.is_superuser or bool(roles & STAFF_ROLES)
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])
    user.__dict__.pop("roles", None)
    user.__dict__.pop(VISIBLE_IDS, None)


@receiver(post_save, sender=Membership)
@receiver(post_delete, sender=Membership)
def membership_changed(sender, instance, **kwargs):
    sync_role_groups(instance.user)


@receiver(post_save, sender=User)
def inactive_users_have_no_sessions(sender, instance, **kwargs):
    """A user deactivated (in the admin or anywhere through save()) is logged out at once
    everywhere, not merely refused at their next request by the authentication backend."""
    if not instance.is_active:
        end_sessions_of(instance)
